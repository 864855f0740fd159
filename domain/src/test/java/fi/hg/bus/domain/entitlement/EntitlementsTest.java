package fi.hg.bus.domain.entitlement;

import fi.hg.bus.domain.quota.*;

import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.HOUR;
import static fi.hg.bus.domain.quota.QuotaWindow.MINUTE;
import static fi.hg.bus.domain.quota.QuotaWindow.MONTH;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static fi.hg.bus.domain.quota.QuotaWindow.WEEK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntitlementsTest {

    private static final UUID ACCOUNT = UUID.fromString("8d1f9a52-4c1e-4f55-9d4b-2b0d6f3f1a01");
    private static final Instant NOW = Instant.parse("2026-03-14T12:34:56Z");
    private static final String LLM = "llm:proxy";
    private static final String TOKENS = "bus_llm_tokens";

    private static final QuotaRule MINUTE_100 = new QuotaRule(LLM, TOKENS, MINUTE, 100, "pro-minute");
    private static final QuotaRule HOUR_100 = new QuotaRule(LLM, TOKENS, HOUR, 100, "pro-hour");
    private static final QuotaRule DAY_100 = new QuotaRule(LLM, TOKENS, DAY, 100, "pro-day");
    private static final QuotaRule WEEK_100 = new QuotaRule(LLM, TOKENS, WEEK, 100, "pro-week");
    private static final QuotaRule MONTH_100 = new QuotaRule(LLM, TOKENS, MONTH, 100, "pro-month");
    private static final QuotaRule TOTAL_100 = new QuotaRule(LLM, TOKENS, TOTAL, 100, "pro-total");
    private static final QuotaRule IMAGES_DAY = new QuotaRule(LLM, "bus_images", DAY, 5, null);

    private final Map<QuotaRule, Tally> tallies = new HashMap<>();
    private final Function<QuotaRule, Tally> read = rule -> tallies.getOrDefault(rule, Tally.ZERO);

    private static Catalog catalog(List<QuotaRule> quotas) {
        List<Plan> plans = new java.util.ArrayList<>();
        plans.add(new Plan("basic", "Basic", "llm", List.of(LLM), List.of(), quotas, Map.of()));
        plans.add(new Plan("containers", "Containers", "llm", List.of("container:run"), List.of(), List.of(), Map.of()));
        for (String id : List.of("pro-minute", "pro-hour", "pro-day", "pro-week", "pro-month", "pro-total")) {
            plans.add(new Plan(id, id, "llm", List.of(LLM), List.of(), List.of(), Map.of()));
        }
        return Catalog.of(List.of(new Product("llm", "LLM")), List.of(new Meter(TOKENS, "tokens"), new Meter("bus_images", "images")),
                plans);
    }

    private static Subscription subscription(AccountStatus status, String planId) {
        return new Subscription(ACCOUNT, status, "local", planId, List.of(), null, null);
    }

    private EntitlementDecision decide(List<QuotaRule> quotas, long quantity) {
        return decide(subscription(AccountStatus.ACTIVE, "basic"), quotas, null, quantity);
    }

    private EntitlementDecision decide(Subscription subscription, List<QuotaRule> quotas, String meter, long quantity) {
        return Entitlements.decide(subscription, catalog(quotas), LLM, meter, quantity, read, NOW);
    }

    private static EntitlementDecision.QuotaExceeded exceeded(EntitlementDecision decision) {
        return assertInstanceOf(EntitlementDecision.QuotaExceeded.class, decision);
    }

    @Test
    void an_account_that_is_not_active_needs_billing() {
        for (AccountStatus status : List.of(AccountStatus.MISSING, AccountStatus.INCOMPLETE, AccountStatus.PAST_DUE,
                AccountStatus.CANCELED)) {
            EntitlementDecision d = decide(subscription(status, "basic"), List.of(DAY_100), null, 1);
            assertInstanceOf(EntitlementDecision.BillingRequired.class, d, status.wireName());
        }
        assertInstanceOf(EntitlementDecision.BillingRequired.class,
                decide(Subscription.missing(ACCOUNT), List.of(DAY_100), null, 0));
    }

    @Test
    void an_active_account_whose_plan_lacks_the_feature_needs_billing() {
        EntitlementDecision d = decide(subscription(AccountStatus.ACTIVE, "containers"), List.of(DAY_100), null, 1);
        assertInstanceOf(EntitlementDecision.BillingRequired.class, d);
    }

    @Test
    void an_active_account_on_an_unknown_plan_may_use_the_features_the_provider_reported() {
        Subscription reported = new Subscription(ACCOUNT, AccountStatus.ACTIVE, "stripe", "gone", List.of(LLM), null, null);
        EntitlementDecision.Allowed allowed = assertInstanceOf(EntitlementDecision.Allowed.class,
                decide(reported, List.of(DAY_100), null, 10));
        assertEquals(List.of(), allowed.matching());
        Subscription other = new Subscription(ACCOUNT, AccountStatus.ACTIVE, "stripe", "gone", List.of("container:run"), null, null);
        assertInstanceOf(EntitlementDecision.BillingRequired.class, decide(other, List.of(DAY_100), null, 10));
    }

    @Test
    void an_active_account_with_room_is_allowed_and_told_which_windows_count() {
        tallies.put(DAY_100, new Tally(10, 10));
        EntitlementDecision.Allowed allowed = assertInstanceOf(EntitlementDecision.Allowed.class,
                decide(List.of(DAY_100, TOTAL_100, IMAGES_DAY), 5));
        assertEquals("basic", allowed.planId());
        assertEquals(List.of(DAY_100, TOTAL_100, IMAGES_DAY), allowed.matching());
    }

    @Test
    void naming_a_meter_limits_the_check_to_that_meters_windows() {
        tallies.put(IMAGES_DAY, new Tally(5, 0));
        EntitlementDecision.Allowed allowed = assertInstanceOf(EntitlementDecision.Allowed.class,
                decide(subscription(AccountStatus.ACTIVE, "basic"), List.of(DAY_100, IMAGES_DAY), TOKENS, 1));
        assertEquals(List.of(DAY_100), allowed.matching());
        exceeded(decide(subscription(AccountStatus.ACTIVE, "basic"), List.of(DAY_100, IMAGES_DAY), null, 1));
        exceeded(decide(subscription(AccountStatus.ACTIVE, "basic"), List.of(DAY_100, IMAGES_DAY), "bus_images", 0));
    }

    @Test
    void an_exhausted_window_denies_even_a_check_without_quantity() {
        tallies.put(DAY_100, new Tally(100, 0));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(DAY_100), 0));
        assertEquals("basic", q.planId());
        assertEquals(DAY, q.item().window());
        assertTrue(q.item().exceeded());
        assertEquals(0, q.item().remaining());
    }

    @Test
    void reserved_quantity_counts_towards_exhaustion() {
        tallies.put(DAY_100, new Tally(60, 40));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(DAY_100), 0));
        assertEquals(60, q.item().used());
        assertEquals(40, q.item().reserved());
        assertTrue(q.item().exceeded());
    }

    @Test
    void usage_past_the_limit_still_denies_and_remaining_stays_at_zero() {
        tallies.put(DAY_100, new Tally(130, 0));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(DAY_100), 0));
        assertEquals(130, q.item().used());
        assertEquals(0, q.item().remaining());
    }

    @Test
    void a_quantity_that_exactly_fills_the_window_is_allowed() {
        tallies.put(DAY_100, new Tally(50, 20));
        assertInstanceOf(EntitlementDecision.Allowed.class, decide(List.of(DAY_100), 30));
    }

    @Test
    void a_quantity_one_past_the_limit_is_denied() {
        tallies.put(DAY_100, new Tally(50, 20));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(DAY_100), 31));
        assertFalse(q.item().exceeded(), "the window itself is not spent; only this quantity does not fit");
        assertEquals(30, q.item().remaining());
    }

    @Test
    void a_quantity_larger_than_the_whole_limit_is_denied_on_an_empty_window() {
        exceeded(decide(List.of(DAY_100), 101));
        assertInstanceOf(EntitlementDecision.Allowed.class, decide(List.of(DAY_100), 100));
    }

    @Test
    void one_refusing_window_denies_though_the_others_have_room() {
        tallies.put(MINUTE_100, new Tally(100, 0));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(MINUTE_100, DAY_100, TOTAL_100), 1));
        assertEquals(MINUTE, q.item().window());
        assertEquals("pro-minute", q.recommendedPlan());
    }

    @Test
    void when_several_windows_refuse_the_one_that_resets_last_is_named() {
        List<QuotaRule> all = List.of(MINUTE_100, HOUR_100, DAY_100, WEEK_100, MONTH_100, TOTAL_100);
        all.forEach(rule -> tallies.put(rule, new Tally(100, 0)));
        assertEquals(TOTAL, exceeded(decide(all, 0)).item().window());
        tallies.put(TOTAL_100, Tally.ZERO);
        assertEquals(MONTH, exceeded(decide(all, 0)).item().window());
        tallies.put(MONTH_100, Tally.ZERO);
        assertEquals(WEEK, exceeded(decide(all, 0)).item().window());
        tallies.put(WEEK_100, Tally.ZERO);
        assertEquals(DAY, exceeded(decide(all, 0)).item().window());
        tallies.put(DAY_100, Tally.ZERO);
        assertEquals(HOUR, exceeded(decide(all, 0)).item().window());
        tallies.put(HOUR_100, Tally.ZERO);
        assertEquals(MINUTE, exceeded(decide(all, 0)).item().window());
        tallies.put(MINUTE_100, Tally.ZERO);
        assertInstanceOf(EntitlementDecision.Allowed.class, decide(all, 0));
    }

    @Test
    void the_window_that_resets_last_is_named_whatever_the_order_of_the_plans_quotas() {
        tallies.put(DAY_100, new Tally(100, 0));
        tallies.put(TOTAL_100, new Tally(100, 0));
        tallies.put(MINUTE_100, new Tally(100, 0));
        assertEquals(TOTAL, exceeded(decide(List.of(TOTAL_100, DAY_100, MINUTE_100), 0)).item().window());
        assertEquals(TOTAL, exceeded(decide(List.of(MINUTE_100, DAY_100, TOTAL_100), 0)).item().window());
        assertEquals(TOTAL, exceeded(decide(List.of(DAY_100, TOTAL_100, MINUTE_100), 0)).item().window());
    }

    @Test
    void a_week_that_ends_after_the_month_is_named_before_the_month() {
        // 2026-03-30 is a Monday: its week resets on 2026-04-06, after the month resets on 2026-04-01.
        Instant lateInMonth = Instant.parse("2026-03-31T10:00:00Z");
        tallies.put(WEEK_100, new Tally(100, 0));
        tallies.put(MONTH_100, new Tally(100, 0));
        EntitlementDecision d = Entitlements.decide(subscription(AccountStatus.ACTIVE, "basic"),
                catalog(List.of(MONTH_100, WEEK_100)), LLM, null, 0, read, lateInMonth);
        assertEquals(WEEK, exceeded(d).item().window());
        assertEquals(Instant.parse("2026-04-06T00:00:00Z"), exceeded(d).item().resetsAt());
    }

    @Test
    void a_quantity_refused_by_several_windows_names_the_one_that_resets_last() {
        tallies.put(DAY_100, new Tally(90, 0));
        tallies.put(MONTH_100, new Tally(95, 0));
        assertEquals(MONTH, exceeded(decide(List.of(DAY_100, MONTH_100), 20)).item().window());
        assertEquals(MONTH, exceeded(decide(List.of(DAY_100, MONTH_100), 6)).item().window());
    }

    @Test
    void the_recommended_plan_comes_from_the_refusing_item() {
        tallies.put(DAY_100, new Tally(100, 0));
        EntitlementDecision.QuotaExceeded onlyDay = exceeded(decide(List.of(DAY_100, TOTAL_100), 0));
        assertEquals("pro-day", onlyDay.recommendedPlan());
        assertEquals("pro-day", onlyDay.item().upgradePlanId());
        tallies.put(TOTAL_100, new Tally(100, 0));
        assertEquals("pro-total", exceeded(decide(List.of(DAY_100, TOTAL_100), 0)).recommendedPlan());
    }

    @Test
    void a_refusing_item_without_an_upgrade_recommends_nothing() {
        QuotaRule plain = new QuotaRule(LLM, TOKENS, DAY, 10, null);
        tallies.put(plain, new Tally(10, 0));
        EntitlementDecision.QuotaExceeded q = exceeded(decide(List.of(plain), 0));
        assertNull(q.recommendedPlan());
    }

    @Test
    void the_refusing_item_tells_when_its_window_resets() {
        tallies.put(DAY_100, new Tally(100, 0));
        assertEquals(Instant.parse("2026-03-15T00:00:00Z"), exceeded(decide(List.of(DAY_100), 0)).item().resetsAt());
        tallies.put(TOTAL_100, new Tally(100, 0));
        assertNull(exceeded(decide(List.of(TOTAL_100), 0)).item().resetsAt());
    }
}
