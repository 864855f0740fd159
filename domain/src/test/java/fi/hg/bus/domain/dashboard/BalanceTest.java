package fi.hg.bus.domain.dashboard;

import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BalanceTest {

    private static final UUID ACCOUNT = UUID.fromString("3f0c2d4e-1b2a-4c5d-8e9f-0a1b2c3d4e5f");
    private static final Instant NOW = Instant.parse("2026-05-26T10:15:30Z");
    private static final String TOKENS = "bus_llm_tokens";
    private static final QuotaRule MINUTE = new QuotaRule("llm:proxy", TOKENS, QuotaWindow.MINUTE, 20000, null);
    private static final QuotaRule MONTH = new QuotaRule("llm:proxy", TOKENS, QuotaWindow.MONTH, 1000000, null);
    private static final QuotaRule TOTAL = new QuotaRule("llm:proxy", TOKENS, QuotaWindow.TOTAL, 1000000, null);
    private static final QuotaRule SECONDS = new QuotaRule("container:run", "bus_container_runtime_seconds",
            QuotaWindow.DAY, 5, null);
    private static final Plan PLAN = new Plan("basic", "Basic", null, List.of("llm:proxy"), List.of(),
            List.of(MINUTE, MONTH, SECONDS), Map.of());

    private static Subscription subscription(AccountStatus status) {
        return new Subscription(ACCOUNT, status, "local", "basic", List.of(), null, null);
    }

    private static ApiKey key(Long limit) {
        return new ApiKey(UUID.randomUUID(), ACCOUNT, "k", "sk-AbCdEfGh", limit, null, NOW, null);
    }

    @Test
    void a_limited_key_reports_remain_plus_used_of_its_limit() {
        Balance b = Balance.ofKey(key(1000000L), 250000);
        assertEquals(new Balance(false, 750000, 250000), b);
        assertEquals(new BigDecimal(2), b.softLimit(QuotaDisplay.defaults()));
        assertEquals(new BigDecimal(50), b.totalUsage(QuotaDisplay.defaults()));
        assertEquals(1200000, Balance.ofKey(key(1000000L), 1200000).limit(), "use past the limit: remain 0 + used");
    }

    @Test
    void an_unlimited_key_reports_one_hundred_million_in_every_display_type() {
        Balance b = Balance.ofKey(key(null), 42);
        for (QuotaDisplay.Type type : QuotaDisplay.Type.values()) {
            QuotaDisplay d = new QuotaDisplay(type, new BigDecimal(500000), new BigDecimal("7.3"));
            assertEquals(new BigDecimal(100000000), b.softLimit(d), type.name());
        }
        assertEquals(new BigDecimal(4200), b.totalUsage(new QuotaDisplay(QuotaDisplay.Type.TOKENS, BigDecimal.ONE, BigDecimal.ONE)));
    }

    @Test
    void an_account_reports_the_window_with_the_least_remaining() {
        Map<QuotaRule, Tally> tallies = Map.of(MINUTE, new Tally(19000, 500), MONTH, new Tally(990000, 0));
        Balance b = Balance.ofAccount(subscription(AccountStatus.ACTIVE), Optional.of(PLAN), TOKENS,
                r -> tallies.getOrDefault(r, Tally.ZERO), NOW);
        assertEquals(new Balance(false, 500, 19000), b, "minute: 20000 - 19000 - 500 reserved");

        Map<QuotaRule, Tally> later = Map.of(MINUTE, new Tally(100, 0), MONTH, new Tally(999000, 0));
        assertEquals(new Balance(false, 1000, 999000), Balance.ofAccount(subscription(AccountStatus.ACTIVE), Optional.of(PLAN),
                TOKENS, r -> later.getOrDefault(r, Tally.ZERO), NOW));
    }

    @Test
    void on_a_tie_the_window_that_resets_last_is_reported() {
        Plan plan = new Plan("p", "P", null, List.of(), List.of(), List.of(MINUTE, TOTAL), Map.of());
        Map<QuotaRule, Tally> spent = Map.of(MINUTE, new Tally(20000, 0), TOTAL, new Tally(1000000, 0));
        assertEquals(new Balance(false, 0, 1000000), Balance.ofAccount(subscription(AccountStatus.ACTIVE), Optional.of(plan),
                TOKENS, r -> spent.get(r), NOW));
    }

    @Test
    void an_account_that_is_not_active_has_nothing_remaining() {
        Map<QuotaRule, Tally> tallies = Map.of(MINUTE, new Tally(10, 0), MONTH, new Tally(5000, 0));
        assertEquals(new Balance(false, 0, 5000), Balance.ofAccount(subscription(AccountStatus.PAST_DUE), Optional.of(PLAN),
                TOKENS, r -> tallies.getOrDefault(r, Tally.ZERO), NOW));
        assertEquals(new Balance(false, 0, 0), Balance.ofAccount(Subscription.missing(ACCOUNT), Optional.empty(), TOKENS,
                r -> Tally.ZERO, NOW));
    }

    @Test
    void an_active_account_without_a_quota_on_the_meter_is_unlimited() {
        assertEquals(new Balance(true, 0, 0), Balance.ofAccount(subscription(AccountStatus.ACTIVE), Optional.of(PLAN),
                "some_other_meter", r -> Tally.ZERO, NOW));
    }
}
