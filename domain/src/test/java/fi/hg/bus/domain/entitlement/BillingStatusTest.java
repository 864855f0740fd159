package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.billing.*;

import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.entitlement.UsageItem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BillingStatusTest {

    private static final UUID ACCOUNT = UUID.fromString("0b8e3f1c-5f0a-4d7a-8e0b-6d1c2b3a4f50");
    private static final Instant NOW = Instant.parse("2026-02-28T23:59:59.999Z");

    private static final QuotaRule DAY = new QuotaRule("llm:proxy", "bus_llm_tokens", QuotaWindow.DAY, 1000, "llm-pro");
    private static final QuotaRule MONTH = new QuotaRule("llm:proxy", "bus_llm_tokens", QuotaWindow.MONTH, 5000, "llm-max");
    private static final QuotaRule TOTAL = new QuotaRule("llm:proxy", "bus_llm_tokens", QuotaWindow.TOTAL, 9000, null);
    private static final Plan BASIC = new Plan("llm-basic", "LLM Basic", "llm", List.of("llm:proxy"), List.of(),
            List.of(DAY, MONTH, TOTAL), Map.of());

    private final Map<QuotaRule, Tally> tallies = new HashMap<>();
    private final Function<QuotaRule, Tally> read = rule -> tallies.getOrDefault(rule, Tally.ZERO);

    private static Subscription subscription(AccountStatus status) {
        return new Subscription(ACCOUNT, status, "local", "llm-basic", List.of(), "cus_1", "sub_1");
    }

    private BillingStatus status(AccountStatus status) {
        return BillingStatus.of(subscription(status), Optional.of(BASIC), read, NOW);
    }

    @Test
    void an_account_never_seen_must_set_up_billing() {
        BillingStatus s = BillingStatus.of(Subscription.missing(ACCOUNT), Optional.empty(), read, NOW);
        assertEquals(ACCOUNT, s.accountId());
        assertEquals(AccountStatus.MISSING, s.status());
        assertEquals(List.of(), s.features());
        assertEquals(List.of(), s.usage());
        assertNull(s.provider());
        assertNull(s.planId());
        assertTrue(s.setupRequired());
        assertFalse(s.upgradeRequired());
        assertEquals("setup_billing", s.nextAction());
        assertEquals("bus billing setup", s.command());
        assertNull(s.recommendedPlan());
    }

    @Test
    void every_status_but_active_must_set_up_billing_and_has_no_features() {
        for (AccountStatus st : List.of(AccountStatus.INCOMPLETE, AccountStatus.PAST_DUE, AccountStatus.CANCELED)) {
            BillingStatus s = status(st);
            assertTrue(s.setupRequired(), st.wireName());
            assertFalse(s.upgradeRequired(), st.wireName());
            assertEquals("setup_billing", s.nextAction(), st.wireName());
            assertEquals("bus billing setup", s.command(), st.wireName());
            assertEquals(List.of(), s.features(), st.wireName());
            assertEquals("llm-basic", s.planId());
            assertEquals("local", s.provider());
        }
    }

    @Test
    void an_inactive_account_with_a_spent_window_is_asked_to_set_up_billing_not_to_upgrade() {
        tallies.put(DAY, new Tally(1000, 0));
        BillingStatus s = status(AccountStatus.PAST_DUE);
        assertTrue(s.setupRequired());
        assertFalse(s.upgradeRequired());
        assertEquals("setup_billing", s.nextAction());
        assertNull(s.recommendedPlan());
        assertTrue(s.usage().getFirst().exceeded());
    }

    @Test
    void an_active_account_with_room_needs_nothing() {
        tallies.put(DAY, new Tally(999, 0));
        BillingStatus s = status(AccountStatus.ACTIVE);
        assertFalse(s.setupRequired());
        assertFalse(s.upgradeRequired());
        assertNull(s.nextAction());
        assertNull(s.command());
        assertNull(s.recommendedPlan());
        assertEquals(List.of("llm:proxy"), s.features());
    }

    @Test
    void an_active_account_with_a_spent_window_must_upgrade_to_its_recommended_plan() {
        tallies.put(DAY, new Tally(700, 300));
        BillingStatus s = status(AccountStatus.ACTIVE);
        assertFalse(s.setupRequired());
        assertTrue(s.upgradeRequired());
        assertEquals("upgrade_plan", s.nextAction());
        assertEquals("bus billing setup", s.command());
        assertEquals("llm-pro", s.recommendedPlan());
    }

    @Test
    void with_several_spent_windows_the_recommendation_comes_from_the_one_that_resets_last() {
        tallies.put(DAY, new Tally(1000, 0));
        tallies.put(MONTH, new Tally(5000, 0));
        assertEquals("llm-max", status(AccountStatus.ACTIVE).recommendedPlan());
        tallies.put(TOTAL, new Tally(9000, 0));
        BillingStatus s = status(AccountStatus.ACTIVE);
        assertTrue(s.upgradeRequired());
        assertNull(s.recommendedPlan(), "the total window names no upgrade");
    }

    @Test
    void each_usage_item_shows_use_reservations_room_and_reset() {
        tallies.put(DAY, new Tally(600, 150));
        tallies.put(MONTH, new Tally(5200, 0));
        List<UsageItem> usage = status(AccountStatus.ACTIVE).usage();
        assertEquals(3, usage.size());

        UsageItem day = usage.get(0);
        assertEquals("llm:proxy", day.feature());
        assertEquals("bus_llm_tokens", day.meterEventName());
        assertEquals(QuotaWindow.DAY, day.window());
        assertEquals(600, day.used());
        assertEquals(150, day.reserved());
        assertEquals(1000, day.limit());
        assertEquals(250, day.remaining());
        assertFalse(day.exceeded());
        assertEquals("llm-pro", day.upgradePlanId());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), day.resetsAt());

        UsageItem month = usage.get(1);
        assertEquals(5200, month.used());
        assertEquals(0, month.remaining());
        assertTrue(month.exceeded());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), month.resetsAt());

        UsageItem total = usage.get(2);
        assertEquals(0, total.used());
        assertEquals(9000, total.remaining());
        assertFalse(total.exceeded());
        assertNull(total.resetsAt());
        assertNull(total.upgradePlanId());
    }

    @Test
    void a_window_filled_exactly_to_its_limit_is_exceeded() {
        tallies.put(TOTAL, new Tally(8999, 1));
        UsageItem total = status(AccountStatus.ACTIVE).usage().get(2);
        assertTrue(total.exceeded());
        assertEquals(0, total.remaining());
    }

    @Test
    void an_active_account_on_a_plan_the_catalog_lacks_has_no_usage_items() {
        BillingStatus s = BillingStatus.of(subscription(AccountStatus.ACTIVE), Optional.empty(), read, NOW);
        assertEquals(List.of(), s.usage());
        assertFalse(s.setupRequired());
        assertFalse(s.upgradeRequired());
    }

    @Test
    void the_features_of_an_active_account_join_the_reported_ones_and_the_plans() {
        Subscription reported = new Subscription(ACCOUNT, AccountStatus.ACTIVE, "stripe", "llm-basic",
                List.of("container:run"), null, null);
        assertEquals(List.of("container:run", "llm:proxy"),
                BillingStatus.of(reported, Optional.of(BASIC), read, NOW).features());
    }
}
