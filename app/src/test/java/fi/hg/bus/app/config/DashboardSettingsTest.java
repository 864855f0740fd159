package fi.hg.bus.app.config;

import fi.hg.bus.application.dashboard.ReadKeyBalance;
import fi.hg.bus.domain.dashboard.QuotaDisplay;
import fi.hg.bus.domain.dashboard.RateLimit;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's environment variables and their defaults (SPEC 7). */
class DashboardSettingsTest {

    @Test
    void the_defaults_are_usd_per_key_on_llm_tokens_at_600_a_minute() {
        ReadKeyBalance.Settings s = DashboardSettings.read(new Env(Map.of()));
        assertEquals(QuotaDisplay.defaults(), s.display());
        assertEquals(new BigDecimal(500000), s.display().quotaPerUnit());
        assertEquals(new BigDecimal("7.3"), s.display().usdExchangeRate());
        assertTrue(s.perKey());
        assertEquals("bus_llm_tokens", s.meter());
        assertEquals(Optional.of(new RateLimit(600, Duration.ofMinutes(1))), s.rateLimit());
    }

    @Test
    void every_setting_is_read() {
        ReadKeyBalance.Settings s = DashboardSettings.read(new Env(Map.of(
                "BUS_QUOTA_DISPLAY_TYPE", "cny", "BUS_QUOTA_PER_UNIT", "1000", "BUS_USD_EXCHANGE_RATE", "7.25",
                "BUS_DISPLAY_TOKEN_STAT", "false", "BUS_DASHBOARD_METER", "bus_container_runtime_seconds",
                "BUS_RATE_LIMIT", "off")));
        assertEquals(new QuotaDisplay(QuotaDisplay.Type.CNY, new BigDecimal(1000), new BigDecimal("7.25")), s.display());
        assertFalse(s.perKey());
        assertEquals("bus_container_runtime_seconds", s.meter());
        assertEquals(Optional.empty(), s.rateLimit());
    }

    @Test
    void bad_values_stop_the_start_naming_the_variable() {
        Map<String, String> bad = Map.of(
                "BUS_QUOTA_DISPLAY_TYPE", "EUR",
                "BUS_QUOTA_PER_UNIT", "0",
                "BUS_USD_EXCHANGE_RATE", "seven",
                "BUS_DISPLAY_TOKEN_STAT", "maybe",
                "BUS_DASHBOARD_METER", "no spaces please",
                "BUS_RATE_LIMIT", "600/fortnight");
        bad.forEach((name, value) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> DashboardSettings.read(new Env(Map.of(name, value))));
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        });
        assertThrows(ConfigException.class, () -> DashboardSettings.read(new Env(Map.of("BUS_QUOTA_PER_UNIT", "1e400"))));
        assertThrows(ConfigException.class, () -> DashboardSettings.read(new Env(Map.of("BUS_USD_EXCHANGE_RATE", "-1"))));
    }
}
