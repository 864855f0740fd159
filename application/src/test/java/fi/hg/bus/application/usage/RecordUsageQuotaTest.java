package fi.hg.bus.application.usage;

import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.ReleaseReservation;
import fi.hg.bus.application.quota.Reservations;
import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.LLM;
import static fi.hg.bus.application.testing.BillingWorld.TOKENS;
import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.HOUR;
import static fi.hg.bus.domain.quota.QuotaWindow.MINUTE;
import static fi.hg.bus.domain.quota.QuotaWindow.MONTH;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static fi.hg.bus.domain.quota.QuotaWindow.WEEK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RecordUsageQuotaTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");

    private void everyWindow() {
        world.catalog(tokens(MINUTE, 1000, null), tokens(HOUR, 1000, null), tokens(DAY, 1000, null),
                tokens(WEEK, 1000, null), tokens(MONTH, 1000, null), tokens(TOTAL, 1000, null));
    }

    @Test
    void metered_usage_is_counted_once_in_every_window() {
        everyWindow();
        UUID account = world.activeAccount();

        assertEquals(new RecordUsage.Recorded(1, 0), world.use(account, "e1", 70));

        for (QuotaWindow w : QuotaWindow.values()) {
            assertEquals(new Tally(70, 0), world.tally(account, w), w.wireName());
        }
        assertEquals(6, world.counters.all().size());
    }

    @Test
    void a_replayed_event_counts_nothing() {
        everyWindow();
        UUID account = world.activeAccount();
        world.use(account, "e1", 70);

        assertEquals(new RecordUsage.Recorded(0, 1), world.use(account, "e1", 70));
        assertEquals(new RecordUsage.Recorded(0, 1), world.use(account, "e1", 999));

        for (QuotaWindow w : QuotaWindow.values()) {
            assertEquals(new Tally(70, 0), world.tally(account, w), w.wireName());
        }
    }

    @Test
    void a_key_repeated_inside_one_request_counts_once() {
        everyWindow();
        UUID account = world.activeAccount();
        UsageData data = new UsageData("{}", Map.of("total_tokens", BigDecimal.TEN), Map.of());
        var submitted = new RecordUsage.Submitted("e1", UsageEventType.USAGE_RECORDED, account, null, data);
        assertEquals(new RecordUsage.Recorded(1, 1), world.recordUsage.record(new RecordUsage.Command(List.of(submitted, submitted))));
        assertEquals(new Tally(10, 0), world.tally(account, TOTAL));
    }

    @Test
    void usage_is_counted_only_in_the_windows_the_catalog_has_quotas_for() {
        world.catalog(tokens(DAY, 1000, null), tokens(TOTAL, 1000, null));
        UUID account = world.activeAccount();
        world.use(account, "e1", 70);
        assertEquals(new Tally(70, 0), world.tally(account, DAY));
        assertEquals(new Tally(70, 0), world.tally(account, TOTAL));
        assertEquals(Tally.ZERO, world.tally(account, MINUTE));
        assertEquals(Tally.ZERO, world.tally(account, MONTH));
    }

    @Test
    void usage_whose_event_id_names_a_held_reservation_settles_it() {
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        assertEquals(new Tally(0, 50), world.tally(account, DAY));

        assertEquals(new RecordUsage.Recorded(1, 0), world.use(account, "req-1", 30));

        assertEquals(new Tally(30, 0), world.tally(account, DAY));
        assertEquals(new Tally(30, 0), world.tally(account, TOTAL));
        assertEquals(Reservations.State.SETTLED, world.reservations.find("req-1").orElseThrow().state());
        assertEquals(Reservations.State.SETTLED, assertInstanceOf(ReleaseReservation.Result.NotHeld.class,
                world.releaseReservation.release("req-1")).reservation().state());
        assertEquals(new Tally(30, 0), world.tally(account, DAY));
    }

    @Test
    void a_replayed_settling_event_counts_nothing_and_releases_nothing_more() {
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        world.use(account, "req-1", 30);
        world.reserve(account, "req-2", 20);

        assertEquals(new RecordUsage.Recorded(0, 1), world.use(account, "req-1", 30));

        assertEquals(new Tally(30, 20), world.tally(account, DAY));
        assertEquals(new Tally(30, 20), world.tally(account, TOTAL));
    }

    @Test
    void usage_beyond_the_held_quantity_is_counted_in_full() {
        world.catalog(tokens(DAY, 100, "pro"));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        world.use(account, "req-1", 120);
        assertEquals(new Tally(120, 0), world.tally(account, DAY));
    }

    @Test
    void usage_after_a_release_is_still_counted() {
        world.catalog(tokens(DAY, 100, "pro"));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        world.releaseReservation.release("req-1");
        world.use(account, "req-1", 40);
        assertEquals(new Tally(40, 0), world.tally(account, DAY));
    }

    @Test
    void a_reservation_held_before_midnight_and_settled_after_gives_back_yesterdays_hold_and_counts_today() {
        world.clock.set(Instant.parse("2026-03-14T23:59:59.500Z"));
        world.catalog(tokens(DAY, 100, "pro"), tokens(TOTAL, 500, null));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        CounterKey yesterday = new CounterKey(account, LLM, TOKENS, DAY, Instant.parse("2026-03-14T00:00:00Z"));

        world.clock.advance(Duration.ofSeconds(1));
        world.use(account, "req-1", 30);

        assertEquals(Tally.ZERO, world.counters.get(yesterday));
        assertEquals(new Tally(30, 0), world.tally(account, DAY));
        assertEquals(new Tally(30, 0), world.tally(account, TOTAL));
    }

    @Test
    void usage_without_an_account_is_stored_but_counts_nothing() {
        everyWindow();
        assertEquals(new RecordUsage.Recorded(1, 0), world.use(null, "e1", 70));
        assertEquals(Map.of(), world.counters.all());
        assertEquals(1, world.ledger.stored().size());
    }

    @Test
    void failed_work_counts_nothing_but_still_settles_its_reservation() {
        world.catalog(tokens(DAY, 100, "pro"));
        UUID account = world.activeAccount();
        world.reserve(account, "req-1", 50);
        UsageData data = new UsageData("{}", Map.of("total_tokens", BigDecimal.TEN), Map.of());
        world.recordUsage.record(new RecordUsage.Command(List.of(
                new RecordUsage.Submitted("req-1", UsageEventType.REQUEST_FAILED, account, null, data))));
        assertEquals(Tally.ZERO, world.tally(account, DAY));
    }
}
