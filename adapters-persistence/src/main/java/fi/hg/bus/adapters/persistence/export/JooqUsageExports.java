package fi.hg.bus.adapters.persistence.export;

import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;
import org.jooq.Param;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The export queue in PostgreSQL: rows are claimed with {@code FOR UPDATE SKIP LOCKED}. */
public final class JooqUsageExports implements UsageExports {

    private static final String COLUMNS = """
            id, idempotency_key, account_id, feature, meter, quantity, occurred_at, state, attempts,
            next_attempt_at, last_error, provider, created_at, exported_at""";

    private static final String CLAIM = "select " + COLUMNS + """
             from usage_exports
            where next_attempt_at is not null and next_attempt_at <= ?::timestamptz and state <> 'exported'
            order by next_attempt_at, id
            limit ?
            for update skip locked""";

    private final PostgresStore store;

    public JooqUsageExports(PostgresStore store) {
        this.store = store;
    }

    @Override
    public List<UsageExport> claimDue(Instant now, int limit) {
        return store.withContext(dsl -> dsl.resultQuery(CLAIM, now.toString(), limit).fetch()
                .map(JooqUsageExports::toExport));
    }

    @Override
    public void markExported(long id, String provider, Instant at) {
        store.withContext(dsl -> dsl.execute("""
                update usage_exports set state = 'exported', provider = ?, exported_at = ?::timestamptz,
                    next_attempt_at = null, attempts = attempts + 1
                where id = ?""", provider, at.toString(), id));
    }

    @Override
    public void markFailed(long id, String provider, int attempts, String reason, Instant nextAttemptAt) {
        store.withContext(dsl -> dsl.execute("""
                update usage_exports set state = 'failed', provider = ?, attempts = ?, last_error = ?,
                    next_attempt_at = ?::timestamptz
                where id = ? and state <> 'exported'""",
                provider, attempts, reason, nextAttemptAt == null ? null : nextAttemptAt.toString(), id));
    }

    @Override
    public List<UsageExport> list(Selection selection) {
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from usage_exports where true");
        if (selection.accountId() != null) {
            sql.append(" and account_id = ?::uuid");
            binds.add(selection.accountId().toString());
        }
        if (!selection.states().isEmpty()) {
            sql.append(" and state = any(?::varchar[])");
            binds.add(text(selection.states().stream().map(ExportState::wireName).toArray(String[]::new)));
        }
        sql.append(" order by id desc limit ?");
        binds.add(selection.limit());
        return store.withContext(dsl -> dsl.resultQuery(sql.toString(), binds.toArray()).fetch()
                .map(JooqUsageExports::toExport));
    }

    @Override
    public Map<ExportState, Long> counts(UUID accountId) {
        return store.withContext(dsl -> {
            Map<ExportState, Long> counts = new EnumMap<>(ExportState.class);
            for (ExportState s : ExportState.values()) {
                counts.put(s, 0L);
            }
            var rows = accountId == null
                    ? dsl.resultQuery("select state, count(*) from usage_exports group by state").fetch()
                    : dsl.resultQuery("select state, count(*) from usage_exports where account_id = ?::uuid group by state",
                    accountId.toString()).fetch();
            for (Record r : rows) {
                ExportState.fromWireName(r.get(0, String.class)).ifPresent(s -> counts.put(s, r.get(1, Long.class)));
            }
            return counts;
        });
    }

    @Override
    public int forgetExportedBefore(Instant cutoff, int limit) {
        return store.withContext(dsl -> dsl.execute("""
                delete from usage_exports where id = any(array(
                    select id from usage_exports where state = 'exported' and exported_at < ?::timestamptz limit ?))""",
                cutoff.toString(), limit));
    }

    private static Param<String[]> text(String[] values) {
        return DSL.val(values, SQLDataType.VARCHAR.array());
    }

    private static UsageExport toExport(Record r) {
        return new UsageExport(r.get(0, Long.class), r.get(1, String.class), r.get(2, UUID.class), r.get(3, String.class),
                r.get(4, String.class), r.get(5, Long.class), instant(r, 6),
                ExportState.fromWireName(r.get(7, String.class)).orElseThrow(), r.get(8, Integer.class), instant(r, 9),
                r.get(10, String.class), r.get(11, String.class), instant(r, 12), instant(r, 13));
    }

    private static Instant instant(Record r, int i) {
        OffsetDateTime t = r.get(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
