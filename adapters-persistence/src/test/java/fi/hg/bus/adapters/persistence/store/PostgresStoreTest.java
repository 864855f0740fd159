package fi.hg.bus.adapters.persistence.store;

import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.application.storage.StorageUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store against a real PostgreSQL database. */
class PostgresStoreTest {

    private static DatabaseUrl url;
    private static PostgresStore store;

    @BeforeAll
    static void open() {
        url = TestDatabases.create();
        store = PostgresStore.open(url, PostgresStore.Options.defaults());
        assertTrue(store.awaitReady(Duration.ofSeconds(30)), "the schema was not migrated in time");
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (url != null) {
            TestDatabases.drop(url);
        }
    }

    private static long count() {
        return count(store, "select count(*) from usage_events");
    }

    private static long count(PostgresStore on, String sql, Object... bindings) {
        return on.withContext(dsl -> dsl.resultQuery(sql, bindings).fetchSingle(0, Long.class));
    }

    private static void insert(String eventId) {
        store.withContext(dsl -> dsl.execute(
                "insert into usage_events (event_id, event_type, occurred_at) values (?, 'request_started', now())", eventId));
    }

    @Test
    void a_migrated_store_answers_the_readiness_check() {
        assertTrue(store.isMigrated());
        assertDoesNotThrow(store::check);
    }

    @Test
    void a_transaction_keeps_all_of_its_work() {
        String key = UUID.randomUUID().toString();
        long before = count();

        store.inTransaction(() -> {
            insert(key + "-1");
            insert(key + "-2");
            return null;
        });

        assertEquals(before + 2, count());
    }

    @Test
    void a_transaction_that_throws_keeps_none_of_its_work() {
        long before = count();

        assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            insert(UUID.randomUUID().toString());
            throw new IllegalStateException("the use case failed");
        }));

        assertEquals(before, count());
    }

    @Test
    void a_nested_transaction_is_part_of_the_outer_one() {
        long before = count();

        assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            store.inTransaction(() -> {
                insert(UUID.randomUUID().toString());
                return null;
            });
            throw new IllegalStateException("the outer work failed after the inner one returned");
        }));

        assertEquals(before, count());
    }

    @Test
    void work_inside_a_transaction_sees_its_own_uncommitted_writes() {
        String key = UUID.randomUUID().toString();

        long seen = store.inTransaction(() -> {
            insert(key);
            return count(store, "select count(*) from usage_events where event_id = ?", key);
        });

        assertEquals(1, seen);
    }

    @Test
    void a_failing_statement_is_not_mistaken_for_unavailable_storage() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> store.withContext(dsl -> dsl.execute("select * from no_such_table")));

        assertFalse(e instanceof StorageUnavailableException, e.toString());
    }

    @Test
    void a_failing_statement_in_a_transaction_is_not_mistaken_for_unavailable_storage() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> store.inTransaction(() -> store.withContext(dsl -> dsl.execute("select * from no_such_table"))));

        assertFalse(e instanceof StorageUnavailableException, e.toString());
        assertDoesNotThrow(store::check);
    }

    @Test
    void a_store_whose_database_appears_later_migrates_and_recovers_by_itself() throws SQLException {
        String name = "bus_test_late_" + UUID.randomUUID().toString().replace("-", "");
        DatabaseUrl admin = TestDatabases.adminUrl();
        DatabaseUrl late = new DatabaseUrl(admin.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"),
                admin.user(), admin.password());
        PostgresStore.Options quickRetry = new PostgresStore.Options(2, Duration.ofMillis(1500), Duration.ofMillis(100));
        try (PostgresStore lateStore = PostgresStore.open(late, quickRetry)) {
            assertFalse(lateStore.awaitReady(Duration.ofMillis(500)));
            String message = assertThrows(StorageUnavailableException.class, lateStore::check).getMessage();
            assertFalse(message.contains(name), message);

            try (Connection c = TestDatabases.connect(admin); var s = c.createStatement()) {
                s.execute("create database " + name);
            }

            assertTrue(lateStore.awaitReady(Duration.ofSeconds(30)), "the store did not recover");
            assertDoesNotThrow(lateStore::check);
            assertEquals(0L, count(lateStore, "select count(*) from usage_events"));
        } finally {
            TestDatabases.drop(late);
        }
    }
}
