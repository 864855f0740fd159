package fi.hg.bus.application.export;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.export.ExportKey;
import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.RetryPolicy;
import fi.hg.bus.domain.export.UsageExport;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.application.usage.RecordUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.LLM;
import static fi.hg.bus.application.testing.BillingWorld.TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportUsageTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");

    /** A provider that refuses while {@code down} and remembers every key it accepted. */
    private static final class Provider implements UsageExporter {
        boolean down;
        final List<String> accepted = new ArrayList<>();

        @Override
        public String provider() {
            return "test";
        }

        @Override
        public Outcome export(UsageExport export) {
            if (down) {
                return new Outcome.Failed("the provider is down");
            }
            accepted.add(export.key());
            return new Outcome.Accepted();
        }
    }

    private final Provider provider = new Provider();
    private final ExportUsage exportUsage = new ExportUsage(world.transactions, world.exports, provider,
            new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 4), world.clock, 100, Duration.ofSeconds(30));

    @Test
    void each_metered_record_of_an_account_is_queued_once_with_a_key_from_its_event_id() {
        UUID account = UUID.randomUUID();
        world.use(account, "e1", 70);
        world.use(account, "e1", 70);
        world.use(account, "e2", 30);

        List<UsageExport> queued = world.exports.all();
        assertEquals(2, queued.size());
        assertEquals(ExportKey.of("e1", LLM, TOKENS), queued.get(0).key());
        assertEquals(70, queued.get(0).quantity());
        assertEquals(ExportState.PENDING, queued.get(0).state());
        assertEquals(world.clock.instant(), queued.get(0).nextAttemptAt());
    }

    @Test
    void usage_without_an_account_failed_work_and_records_without_quantity_are_never_queued() {
        world.use(null, "no-account", 70);
        UUID account = UUID.randomUUID();
        world.recordUsage.record(new RecordUsage.Command(List.of(
                new RecordUsage.Submitted("failed", UsageEventType.REQUEST_FAILED, account, null,
                        new UsageData("{\"total_tokens\":5}", Map.of("total_tokens", java.math.BigDecimal.TEN), Map.of())),
                new RecordUsage.Submitted("started", UsageEventType.REQUEST_STARTED, account, null, null))));

        assertEquals(List.of(), world.exports.all());
    }

    @Test
    void records_without_an_event_id_get_distinct_keys() {
        UUID account = UUID.randomUUID();
        world.use(account, null, 1);
        world.use(account, null, 1);

        List<UsageExport> queued = world.exports.all();
        assertEquals(2, queued.size());
        assertTrue(!queued.get(0).key().equals(queued.get(1).key()));
    }

    @Test
    void a_failing_provider_is_retried_with_backoff_and_every_key_is_accepted_exactly_once_when_it_recovers() {
        UUID account = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            world.use(account, "e" + i, 10);
        }
        provider.down = true;

        assertEquals(new ExportUsage.Pass(0, 5), exportUsage.exportDue());
        UsageExport failed = world.exports.all().getFirst();
        assertEquals(ExportState.FAILED, failed.state());
        assertEquals("the provider is down", failed.lastError());
        assertEquals(world.clock.instant().plusSeconds(5), failed.nextAttemptAt());
        assertEquals(new ExportUsage.Pass(0, 0), exportUsage.exportDue(), "nothing is due before the backoff ends");

        world.clock.advance(Duration.ofSeconds(5));
        assertEquals(new ExportUsage.Pass(0, 5), exportUsage.exportDue());
        assertEquals(world.clock.instant().plusSeconds(10), world.exports.all().getFirst().nextAttemptAt(), "the wait doubles");

        provider.down = false;
        world.clock.advance(Duration.ofSeconds(10));
        assertEquals(new ExportUsage.Pass(5, 0), exportUsage.exportDue());
        world.clock.advance(Duration.ofDays(1));
        assertEquals(new ExportUsage.Pass(0, 0), exportUsage.exportDue(), "an exported key is never claimed again");

        Map<String, Integer> times = new HashMap<>();
        provider.accepted.forEach(k -> times.merge(k, 1, Integer::sum));
        assertEquals(5, times.size());
        assertTrue(times.values().stream().allMatch(n -> n == 1), times.toString());
        assertTrue(world.exports.all().stream().allMatch(e -> e.state() == ExportState.EXPORTED && e.exportedAt() != null));
    }

    @Test
    void an_export_is_given_up_after_the_last_attempt_and_stays_visible_as_failed_with_its_reason() {
        UUID account = UUID.randomUUID();
        world.use(account, "e1", 10);
        provider.down = true;

        for (int i = 0; i < 4; i++) {
            exportUsage.exportDue();
            world.clock.advance(Duration.ofMinutes(2));
        }

        UsageExport given = world.exports.all().getFirst();
        assertEquals(ExportState.FAILED, given.state());
        assertEquals(4, given.attempts());
        assertNull(given.nextAttemptAt());
        assertEquals("the provider is down", given.lastError());
        provider.down = false;
        assertEquals(new ExportUsage.Pass(0, 0), exportUsage.exportDue());
        assertEquals(1L, new ListUsageExports(world.exports).list(
                new UsageExports.Selection(account, List.of(ExportState.FAILED), 10)).counts().get(ExportState.FAILED));
    }

    @Test
    void an_unexpected_exception_of_the_provider_is_a_failed_attempt_not_a_lost_export() {
        UUID account = UUID.randomUUID();
        world.use(account, "e1", 10);
        ExportUsage throwing = new ExportUsage(world.transactions, world.exports, new UsageExporter() {
            @Override
            public String provider() {
                return "test";
            }

            @Override
            public Outcome export(UsageExport export) {
                throw new IllegalStateException("boom");
            }
        }, RetryPolicy.defaults(), world.clock, 10, Duration.ofSeconds(30));

        assertEquals(new ExportUsage.Pass(0, 1), throwing.exportDue());
        assertEquals("unexpected failure (IllegalStateException)", world.exports.all().getFirst().lastError());
    }

    @Test
    void a_pass_over_its_budget_leaves_the_rest_of_its_rows_for_the_next_pass() {
        UUID account = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            world.use(account, "slow" + i, 1);
        }
        ExportUsage slow = new ExportUsage(world.transactions, world.exports, new UsageExporter() {
            @Override
            public String provider() {
                return "slow";
            }

            @Override
            public Outcome export(UsageExport export) {
                world.clock.advance(Duration.ofSeconds(20));
                return new Outcome.Accepted();
            }
        }, RetryPolicy.defaults(), world.clock, 10, Duration.ofSeconds(30));

        assertEquals(new ExportUsage.Pass(2, 0), slow.exportDue());
        assertEquals(3, world.exports.all().stream().filter(e -> e.state() == ExportState.PENDING).count());
        assertEquals(0, world.exports.all().stream().filter(e -> e.state() == ExportState.PENDING)
                .mapToInt(UsageExport::attempts).sum(), "rows left over are as they were");
    }

    @Test
    void old_exported_rows_are_forgotten_and_others_kept() {
        UUID account = UUID.randomUUID();
        world.use(account, "e1", 10);
        exportUsage.exportDue();
        world.use(account, "e2", 10);
        world.clock.advance(Duration.ofDays(100));

        assertEquals(1, new ForgetOldExports(world.exports, world.clock, Duration.ofDays(90)).forget());
        assertEquals(List.of(ExportKey.of("e2", LLM, TOKENS)), world.exports.all().stream().map(UsageExport::key).toList());
        assertTrue(Instant.EPOCH.isBefore(world.clock.instant()));
    }
}
