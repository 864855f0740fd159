package fi.hg.bus.adapters.persistence.store;

import fi.hg.bus.application.storage.StorageUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store whose database cannot be reached: every use fails at once with a reason that reveals nothing. */
class PostgresStoreUnavailableTest {

    private static final String PASSWORD = "s3cret-pw-never-shown";
    /** Nothing listens on port 1: connections are refused at once. */
    private static final DatabaseUrl NOWHERE = DatabaseUrl.parse("postgres://bususer:" + PASSWORD + "@127.0.0.1:1/busdb");
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(" | ").append(t);
            }
            LOGGED.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static PostgresStore store;

    @BeforeAll
    static void open() {
        Logger.getLogger("").addHandler(CAPTURE);
        store = PostgresStore.open(NOWHERE, PostgresStore.Options.defaults());
    }

    @AfterAll
    static void close() {
        store.close();
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    private static void assertRevealsNothing(String message) {
        assertTrue(message.startsWith("usage storage is unavailable: "), message);
        for (String secret : new String[] {PASSWORD, "127.0.0.1", "bususer", "busdb", "jdbc", "postgres://", ":1/"}) {
            assertFalse(message.contains(secret), () -> "\"" + secret + "\" in: " + message);
        }
    }

    /** Waits until the background migration has tried the database at least once. */
    private static String reasonAfterTheFirstAttempt() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String message;
        do {
            message = assertThrows(StorageUnavailableException.class, store::check).getMessage();
            if (!message.contains("has not been migrated yet")) {
                return message;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return message;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void check_fails_quickly_with_a_message_that_reveals_nothing() {
        StorageUnavailableException e = assertTimeout(QUICKLY, () -> assertThrows(StorageUnavailableException.class, store::check));

        assertRevealsNothing(e.getMessage());
    }

    @Test
    void check_says_why_once_the_database_was_tried() {
        String message = reasonAfterTheFirstAttempt();

        assertRevealsNothing(message);
        assertTrue(message.contains("cannot be reached") || message.contains("refused the connection")
                || message.contains("could be made in time"), message);
    }

    @Test
    void what_is_logged_about_the_failure_never_contains_the_password() {
        reasonAfterTheFirstAttempt();

        assertFalse(LOGGED.isEmpty(), "the failure to reach the database is logged");
        for (String line : LOGGED) {
            assertFalse(line.contains(PASSWORD), line);
        }
    }

    @Test
    void with_context_fails_quickly_without_running_the_work() {
        AtomicBoolean ran = new AtomicBoolean();

        StorageUnavailableException e = assertTimeout(QUICKLY, () -> assertThrows(StorageUnavailableException.class,
                () -> store.withContext(dsl -> {
                    ran.set(true);
                    return dsl.fetchValue("select 1");
                })));

        assertFalse(ran.get());
        assertRevealsNothing(e.getMessage());
    }

    @Test
    void in_transaction_fails_quickly_without_running_the_work() {
        AtomicBoolean ran = new AtomicBoolean();
        Supplier<Integer> work = () -> {
            ran.set(true);
            return 1;
        };

        StorageUnavailableException e = assertTimeout(QUICKLY,
                () -> assertThrows(StorageUnavailableException.class, () -> store.inTransaction(work)));

        assertFalse(ran.get());
        assertRevealsNothing(e.getMessage());
    }

    @Test
    void the_failures_stay_quick_after_the_database_was_tried() {
        reasonAfterTheFirstAttempt();

        assertTimeout(QUICKLY, () -> {
            for (int i = 0; i < 20; i++) {
                assertRevealsNothing(assertThrows(StorageUnavailableException.class, store::check).getMessage());
                assertRevealsNothing(assertThrows(StorageUnavailableException.class,
                        () -> store.withContext(dsl -> 1)).getMessage());
            }
        });
    }

    @Test
    void the_store_is_not_ready() {
        assertFalse(store.awaitReady(Duration.ofMillis(100)));
        assertFalse(store.isMigrated());
    }

    // ---- isConnectivity -------------------------------------------------------------------------

    @Test
    void connection_class_and_server_unavailability_states_are_connectivity() {
        for (String state : new String[] {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "53300"}) {
            assertTrue(PostgresStore.isConnectivity(new SQLException("x", state)), state);
        }
    }

    @Test
    void network_failures_are_connectivity_however_deeply_wrapped() {
        assertTrue(PostgresStore.isConnectivity(new SQLTransientConnectionException("pool timeout")));
        assertTrue(PostgresStore.isConnectivity(new ConnectException("refused")));
        assertTrue(PostgresStore.isConnectivity(new RuntimeException(new EOFException())));
        assertTrue(PostgresStore.isConnectivity(new RuntimeException(new IllegalStateException(new SocketException("reset")))));
        assertTrue(PostgresStore.isConnectivity(new RuntimeException("jOOQ", new SQLException("lost", "08006"))));
    }

    @Test
    void other_failures_are_not_connectivity() {
        assertFalse(PostgresStore.isConnectivity(new SQLException("duplicate key", "23505")));
        assertFalse(PostgresStore.isConnectivity(new SQLException("no such table", "42P01")));
        assertFalse(PostgresStore.isConnectivity(new SQLException("bad password", "28P01")));
        assertFalse(PostgresStore.isConnectivity(new SQLException("no state")));
        assertFalse(PostgresStore.isConnectivity(new IllegalStateException("bug")));
        assertFalse(PostgresStore.isConnectivity(new RuntimeException(new java.io.IOException("disk"))));
    }

    // ---- describe -------------------------------------------------------------------------------

    @Test
    void describe_names_the_reason_in_words() {
        assertEquals("the database refused the connection", PostgresStore.describe(new RuntimeException(new ConnectException("x"))));
        assertEquals("the database cannot be reached", PostgresStore.describe(new SQLException("x", "08001")));
        assertEquals("the database is shutting down or starting up", PostgresStore.describe(new SQLException("x", "57P01")));
        assertEquals("the database has too many connections", PostgresStore.describe(new SQLException("x", "53300")));
        assertEquals("the database refused the credentials", PostgresStore.describe(new SQLException("x", "28P01")));
        assertEquals("the database refused the credentials", PostgresStore.describe(new SQLException("x", "28000")));
        assertEquals("the database does not exist", PostgresStore.describe(new SQLException("x", "3D000")));
        assertEquals("no database connection became free in time (the database is overloaded or cannot be reached)", PostgresStore.describe(new SQLTransientConnectionException("x")));
    }

    @Test
    void describe_of_anything_else_names_only_the_kind_of_failure() {
        assertEquals("the database failed (IllegalStateException)", PostgresStore.describe(new IllegalStateException("x")));
    }

    @Test
    void describe_never_repeats_the_messages_it_reads() {
        String leaky = "FATAL: password authentication failed for user \"bususer\" at jdbc:postgresql://127.0.0.1:1/busdb?password=" + PASSWORD;

        for (Throwable t : new Throwable[] {new SQLException(leaky, "28P01"), new SQLException(leaky, "08001"),
                new SQLException(leaky), new RuntimeException(leaky), new RuntimeException(leaky, new ConnectException(leaky)),
                new SQLTransientConnectionException(leaky)}) {
            assertRevealsNothing("usage storage is unavailable: " + PostgresStore.describe(t));
        }
    }

    // ---- translate ------------------------------------------------------------------------------

    @Test
    void translate_turns_connectivity_failures_into_storage_unavailable_with_the_cause() {
        SQLException lost = new SQLException("connection lost to 127.0.0.1", "08006");

        RuntimeException translated = PostgresStore.translate(lost);

        assertInstanceOf(StorageUnavailableException.class, translated);
        assertSame(lost, translated.getCause());
        assertRevealsNothing(translated.getMessage());
    }

    @Test
    void translate_leaves_other_failures_as_they_are() {
        StorageUnavailableException unavailable = new StorageUnavailableException("usage storage is unavailable: x");
        IllegalArgumentException bug = new IllegalArgumentException("bug");
        SQLException constraint = new SQLException("duplicate", "23505");

        assertSame(unavailable, PostgresStore.translate(unavailable));
        assertSame(bug, PostgresStore.translate(bug));
        RuntimeException wrapped = PostgresStore.translate(constraint);
        assertInstanceOf(IllegalStateException.class, wrapped);
        assertSame(constraint, wrapped.getCause());
    }
}
