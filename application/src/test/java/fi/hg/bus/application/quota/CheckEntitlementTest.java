package fi.hg.bus.application.quota;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.entitlement.Tally;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.LLM;
import static fi.hg.bus.application.testing.BillingWorld.TOKENS;
import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.MINUTE;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckEntitlementTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");
    private UUID account;

    @BeforeEach
    void anActiveAccountOnAPlanWithADayAndATotalQuota() {
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null));
        account = world.activeAccount();
    }

    private static CheckEntitlement.Result.Decided decided(CheckEntitlement.Result result) {
        return assertInstanceOf(CheckEntitlement.Result.Decided.class, result);
    }

    private static EntitlementDecision.Allowed allowed(CheckEntitlement.Result result) {
        return assertInstanceOf(EntitlementDecision.Allowed.class, decided(result).decision());
    }

    private static EntitlementDecision.QuotaExceeded exceeded(CheckEntitlement.Result result) {
        return assertInstanceOf(EntitlementDecision.QuotaExceeded.class, decided(result).decision());
    }

    @Test
    void a_check_without_a_reservation_decides_and_holds_nothing() {
        CheckEntitlement.Result result = world.checkEntitlement.check(
                new CheckEntitlement.Command(account, LLM, TOKENS, 40, null, null));
        assertEquals("basic", allowed(result).planId());
        assertFalse(decided(result).replayed());
        assertEquals(Tally.ZERO, world.tally(account, DAY));
        assertEquals(Tally.ZERO, world.tally(account, TOTAL));
    }

    @Test
    void a_reservation_holds_its_quantity_in_every_matching_window() {
        allowed(world.reserve(account, "r1", 30));
        assertEquals(new Tally(0, 30), world.tally(account, DAY));
        assertEquals(new Tally(0, 30), world.tally(account, TOTAL));
        assertEquals(Reservations.State.HELD, world.reservations.find("r1").orElseThrow().state());
    }

    @Test
    void repeating_a_reservation_id_returns_the_first_answer_and_holds_nothing_more() {
        CheckEntitlement.Result first = world.reserve(account, "r1", 30);
        CheckEntitlement.Result again = world.reserve(account, "r1", 30);
        CheckEntitlement.Result larger = world.reserve(account, "r1", 90);

        assertFalse(decided(first).replayed());
        assertTrue(decided(again).replayed());
        assertTrue(decided(larger).replayed());
        assertEquals("basic", allowed(again).planId());
        assertEquals("basic", allowed(larger).planId());
        assertEquals(new Tally(0, 30), world.tally(account, DAY));
        assertEquals(new Tally(0, 30), world.tally(account, TOTAL));
    }

    @Test
    void a_replayed_denial_stays_denied_after_room_frees_up() {
        allowed(world.reserve(account, "big", 100));
        EntitlementDecision.QuotaExceeded denied = exceeded(world.reserve(account, "small", 1));
        assertEquals(Reservations.State.DENIED, world.reservations.find("small").orElseThrow().state());
        world.releaseReservation.release("big");

        CheckEntitlement.Result replay = world.reserve(account, "small", 1);

        assertTrue(decided(replay).replayed());
        assertEquals(denied, exceeded(replay));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
        allowed(world.reserve(account, "fresh", 1));
    }

    @Test
    void a_reservation_id_used_for_another_account_is_taken_and_holds_nothing() {
        UUID other = world.activeAccount();
        allowed(world.reserve(account, "shared-id", 30));

        CheckEntitlement.Result result = world.reserve(other, "shared-id", 30);

        assertEquals(new CheckEntitlement.Result.ReservationIdTaken("shared-id"), result);
        assertEquals(Tally.ZERO, world.tally(other, DAY));
        assertEquals(new Tally(0, 30), world.tally(account, DAY));
    }

    @Test
    void a_reservation_id_used_for_another_feature_is_taken() {
        world.reserve(account, "r1", 30);
        CheckEntitlement.Result result = world.checkEntitlement.check(
                new CheckEntitlement.Command(account, "container:run", null, 30, "r1", Duration.ofMinutes(5)));
        assertInstanceOf(CheckEntitlement.Result.ReservationIdTaken.class, result);
    }

    @Test
    void a_reservation_that_exactly_fills_the_window_is_allowed_and_one_more_is_denied() {
        allowed(world.reserve(account, "r1", 60));
        world.use(account, "usage-1", 20);
        allowed(world.reserve(account, "r2", 20));
        assertEquals(new Tally(20, 80), world.tally(account, DAY));

        EntitlementDecision.QuotaExceeded q = exceeded(world.reserve(account, "r3", 1));
        assertEquals(DAY, q.item().window());
        assertEquals("pro", q.recommendedPlan());
        assertEquals(20, q.item().used());
        assertEquals(80, q.item().reserved());
        assertEquals(new Tally(20, 80), world.tally(account, DAY));
    }

    @Test
    void a_denied_reservation_holds_nothing() {
        exceeded(world.reserve(account, "r1", 101));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
        assertEquals(Tally.ZERO, world.tally(account, TOTAL));
    }

    @Test
    void an_account_without_active_billing_is_denied_and_holds_nothing() {
        UUID unknown = UUID.randomUUID();
        assertInstanceOf(EntitlementDecision.BillingRequired.class, decided(world.reserve(unknown, "r1", 10)).decision());
        world.applyUpdate.apply(new SubscriptionUpdate("cancel", account, "local", AccountStatus.CANCELED, null, null,
                "basic", List.of()));
        assertInstanceOf(EntitlementDecision.BillingRequired.class, decided(world.reserve(account, "r2", 10)).decision());
        assertEquals(Tally.ZERO, world.tally(unknown, DAY));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
    }

    @Test
    void the_total_window_is_named_when_it_refuses_as_well_as_the_day() {
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 100, null));
        allowed(world.reserve(account, "r1", 100));
        EntitlementDecision.QuotaExceeded q = exceeded(world.reserve(account, "r2", 1));
        assertEquals(TOTAL, q.item().window());
        assertEquals(null, q.recommendedPlan());
    }

    @Test
    void a_reservation_made_in_one_minute_does_not_count_in_the_next() {
        world.catalog(tokens(MINUTE, 10, "pro"));
        allowed(world.reserve(account, "r1", 10));
        exceeded(world.reserve(account, "r2", 1));
        world.clock.advance(Duration.ofMinutes(1));
        allowed(world.reserve(account, "r3", 10));
    }

    @Test
    void a_window_that_a_newer_catalog_counts_is_read_before_deciding() {
        allowed(world.checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 0, null, null)));
        // put where this process's copy of the catalog does not see it (as another replica would)
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null), tokens(MINUTE, 10, "pro"));
        world.use(account, "e1", 10);

        EntitlementDecision.QuotaExceeded refused = exceeded(
                world.checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, 0, null, null)));
        assertEquals(MINUTE, refused.item().window());
        assertEquals(10, refused.item().used());
    }
}
