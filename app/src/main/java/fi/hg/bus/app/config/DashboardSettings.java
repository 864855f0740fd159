package fi.hg.bus.app.config;

import fi.hg.bus.application.dashboard.ReadKeyBalance;
import fi.hg.bus.domain.dashboard.QuotaDisplay;
import fi.hg.bus.domain.dashboard.RateLimit;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys' and the OpenAI-compatible dashboard's settings: {@code BUS_QUOTA_DISPLAY_TYPE},
 * {@code BUS_QUOTA_PER_UNIT}, {@code BUS_USD_EXCHANGE_RATE}, {@code BUS_DISPLAY_TOKEN_STAT},
 * {@code BUS_DASHBOARD_METER} and {@code BUS_RATE_LIMIT}.
 */
public final class DashboardSettings {

    /** The rate limit when {@code BUS_RATE_LIMIT} is not set. */
    public static final String DEFAULT_RATE_LIMIT = "600/min";
    public static final String DEFAULT_METER = "bus_llm_tokens";

    private static final Pattern METER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}");
    private static final BigDecimal MAX_NUMBER = new BigDecimal("1e15");

    private DashboardSettings() {
    }

    public static ReadKeyBalance.Settings read(Env env) {
        QuotaDisplay.Type type = env.get("BUS_QUOTA_DISPLAY_TYPE")
                .map(t -> QuotaDisplay.Type.parse(t).orElseThrow(() ->
                        new ConfigException("BUS_QUOTA_DISPLAY_TYPE must be USD, CNY or TOKENS")))
                .orElse(QuotaDisplay.Type.USD);
        BigDecimal perUnit = positive(env, "BUS_QUOTA_PER_UNIT", QuotaDisplay.DEFAULT_QUOTA_PER_UNIT);
        BigDecimal rate = positive(env, "BUS_USD_EXCHANGE_RATE", QuotaDisplay.DEFAULT_USD_EXCHANGE_RATE);
        boolean perKey = env.get("BUS_DISPLAY_TOKEN_STAT").map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException("BUS_DISPLAY_TOKEN_STAT must be true (per key) or false (per account)");
        }).orElse(true);
        String meter = env.get("BUS_DASHBOARD_METER").map(String::strip).orElse(DEFAULT_METER);
        if (!METER.matcher(meter).matches()) {
            throw new ConfigException("BUS_DASHBOARD_METER must be a meter name: 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        Optional<RateLimit> rateLimit;
        try {
            rateLimit = RateLimit.parse(env.get("BUS_RATE_LIMIT").orElse(DEFAULT_RATE_LIMIT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BUS_RATE_LIMIT " + e.getMessage());
        }
        return new ReadKeyBalance.Settings(new QuotaDisplay(type, perUnit, rate), perKey, meter, rateLimit);
    }

    private static BigDecimal positive(Env env, String name, BigDecimal defaultValue) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            String t = text.get().strip();
            if (t.length() > 40) {
                throw new NumberFormatException();
            }
            BigDecimal d = new BigDecimal(t);
            if (d.signum() <= 0 || d.compareTo(MAX_NUMBER) > 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a positive number, e.g. " + defaultValue.toPlainString());
        }
    }
}
