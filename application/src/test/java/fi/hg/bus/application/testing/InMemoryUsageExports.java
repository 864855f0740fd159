package fi.hg.bus.application.testing;

import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The export queue in memory; claims are not locked (the in-memory transactions run one at a time). */
public final class InMemoryUsageExports implements UsageExports {

    private final Map<Long, UsageExport> rows = new LinkedHashMap<>();
    private final Map<String, Long> byKey = new LinkedHashMap<>();
    private long next = 1;

    /** What the usage ledger does when it stores records (see {@code InMemoryUsageLedger}). */
    public synchronized void enqueue(List<NewExport> exports, Instant at) {
        for (NewExport e : exports) {
            String key = e.key() != null ? e.key() : "bus_usage_" + UUID.randomUUID().toString().replace("-", "");
            if (byKey.containsKey(key)) {
                continue;
            }
            long id = next++;
            byKey.put(key, id);
            rows.put(id, new UsageExport(id, key, e.accountId(), e.feature(), e.meter(), e.quantity(), e.occurredAt(),
                    ExportState.PENDING, 0, at, null, null, at, null));
        }
    }

    @Override
    public synchronized List<UsageExport> claimDue(Instant now, int limit) {
        return rows.values().stream()
                .filter(r -> r.state() != ExportState.EXPORTED && r.nextAttemptAt() != null && !r.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(UsageExport::nextAttemptAt).thenComparing(UsageExport::id))
                .limit(limit).toList();
    }

    @Override
    public synchronized void markExported(long id, String provider, Instant at) {
        UsageExport r = rows.get(id);
        rows.put(id, new UsageExport(id, r.key(), r.accountId(), r.feature(), r.meter(), r.quantity(), r.occurredAt(),
                ExportState.EXPORTED, r.attempts() + 1, null, r.lastError(), provider, r.createdAt(), at));
    }

    @Override
    public synchronized void markFailed(long id, String provider, int attempts, String reason, Instant nextAttemptAt) {
        UsageExport r = rows.get(id);
        rows.put(id, new UsageExport(id, r.key(), r.accountId(), r.feature(), r.meter(), r.quantity(), r.occurredAt(),
                ExportState.FAILED, attempts, nextAttemptAt, reason, provider, r.createdAt(), null));
    }

    @Override
    public synchronized List<UsageExport> list(Selection s) {
        List<UsageExport> all = new ArrayList<>(rows.values());
        all.sort(Comparator.comparing(UsageExport::id).reversed());
        return all.stream()
                .filter(r -> s.accountId() == null || s.accountId().equals(r.accountId()))
                .filter(r -> s.states().isEmpty() || s.states().contains(r.state()))
                .limit(s.limit()).toList();
    }

    @Override
    public synchronized Map<ExportState, Long> counts(UUID accountId) {
        Map<ExportState, Long> counts = new EnumMap<>(ExportState.class);
        for (ExportState st : ExportState.values()) {
            counts.put(st, 0L);
        }
        rows.values().stream().filter(r -> accountId == null || accountId.equals(r.accountId()))
                .forEach(r -> counts.merge(r.state(), 1L, Long::sum));
        return counts;
    }

    @Override
    public synchronized int forgetExportedBefore(Instant cutoff, int limit) {
        List<Long> old = rows.values().stream()
                .filter(r -> r.state() == ExportState.EXPORTED && r.exportedAt().isBefore(cutoff))
                .map(UsageExport::id).limit(limit).toList();
        old.forEach(id -> byKey.remove(rows.remove(id).key()));
        return old.size();
    }

    /** Every row, oldest first. */
    public synchronized List<UsageExport> all() {
        return List.copyOf(rows.values());
    }
}
