package fi.hg.bus.application.quota;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.entitlement.Tally;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ReservationLifecycleTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");
    private UUID account;

    @BeforeEach
    void anActiveAccount() {
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null));
        account = world.activeAccount();
    }

    @Test
    void releasing_a_held_reservation_gives_its_quantity_back_once() {
        world.reserve(account, "r1", 30);

        assertInstanceOf(ReleaseReservation.Result.Released.class, world.releaseReservation.release("r1"));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
        assertEquals(Tally.ZERO, world.tally(account, TOTAL));

        ReleaseReservation.Result again = world.releaseReservation.release("r1");
        assertEquals(Reservations.State.RELEASED,
                assertInstanceOf(ReleaseReservation.Result.NotHeld.class, again).reservation().state());
        assertEquals(Tally.ZERO, world.tally(account, DAY));
    }

    @Test
    void releasing_an_unknown_reservation_says_so() {
        assertInstanceOf(ReleaseReservation.Result.Unknown.class, world.releaseReservation.release("nope"));
    }

    @Test
    void a_reservation_is_released_when_its_time_runs_out_and_not_before() {
        world.reserve(account, "r1", 30, Duration.ofSeconds(60));

        world.clock.advance(Duration.ofSeconds(59));
        assertEquals(0, world.expireReservations.expire());
        assertEquals(new Tally(0, 30), world.tally(account, DAY));

        world.clock.advance(Duration.ofSeconds(1));
        assertEquals(1, world.expireReservations.expire());
        assertEquals(Tally.ZERO, world.tally(account, DAY));
        assertEquals(Tally.ZERO, world.tally(account, TOTAL));
        assertEquals(0, world.expireReservations.expire());
        assertEquals(Reservations.State.EXPIRED, world.reservations.find("r1").orElseThrow().state());
    }

    @Test
    void an_expired_reservation_cannot_be_released_again() {
        world.reserve(account, "r1", 30, Duration.ofSeconds(1));
        world.clock.advance(Duration.ofSeconds(2));
        world.expireReservations.expire();
        assertInstanceOf(ReleaseReservation.Result.NotHeld.class, world.releaseReservation.release("r1"));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
    }

    @Test
    void a_settled_reservation_does_not_expire() {
        world.reserve(account, "r1", 30, Duration.ofSeconds(10));
        world.use(account, "r1", 25);
        world.clock.advance(Duration.ofSeconds(11));
        assertEquals(0, world.expireReservations.expire());
        assertEquals(new Tally(25, 0), world.tally(account, DAY));
    }

    @Test
    void a_replay_after_expiry_still_gets_the_first_answer_and_holds_nothing() {
        world.reserve(account, "r1", 30, Duration.ofSeconds(1));
        world.clock.advance(Duration.ofSeconds(2));
        world.expireReservations.expire();
        CheckEntitlement.Result replay = world.reserve(account, "r1", 30);
        assertEquals(true, assertInstanceOf(CheckEntitlement.Result.Decided.class, replay).replayed());
        assertEquals(Tally.ZERO, world.tally(account, DAY));
    }
}
