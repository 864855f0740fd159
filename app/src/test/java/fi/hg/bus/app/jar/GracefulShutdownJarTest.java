package fi.hg.bus.app.jar;

import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus serve} from the built jar stopped with SIGTERM: {@code /readyz} turns 503 while the
 * server still serves, then the port closes, a request in flight (held in the database by the
 * test) still completes, and the process exits 0. The usage-export worker stopped in the middle of
 * a pass takes no further row, and the rows it had claimed stay in the queue, claimable, for
 * another replica, which then exports each of them once.
 */
class GracefulShutdownJarTest {

    private static final String SECRET = "graceful-shutdown-jar-test-hs256-secret-0123";
    private static final String ACCOUNT = "00000000-0000-4000-8000-0000000000aa";
    private static final long HOLD = 7_263_541L;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Path jar;
    private Path work;
    private DatabaseUrl database;
    private Hs256Jwt jwt;

    @BeforeEach
    void setUp() throws Exception {
        String configured = System.getProperty("bus.jar");
        Assumptions.assumeTrue(configured != null,
                "runs in the integration-test phase on the built jar: ./mvnw -B verify -pl app -am -Dtest=GracefulShutdownJarTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false");
        jar = Path.of(configured);
        work = Files.createTempDirectory("bus-shutdown");
        database = TestDatabases.create();
        jwt = new Hs256Jwt(SigningSecret.parse(SECRET), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        if (database != null) {
            TestDatabases.drop(database);
        }
        if (work != null) {
            NginxJarTest.deleteRecursively(work);
        }
    }

    private ServeProcess serve(String name, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", TestServer.postgresUrl(database));
        env.put("BUS_AUTH_HS256_SECRET", SECRET);
        env.put("BUS_DATABASE_POOL_SIZE", "4");
        env.putAll(more);
        ServeProcess p = ServeProcess.start(jar, work, name, env);
        closing.add(p);
        return p;
    }

    private Connection connect() throws SQLException {
        Connection c = TestDatabases.connect(database);
        closing.add(c);
        return c;
    }

    private String recorder() {
        Instant now = Instant.now();
        return jwt.sign("usage-recorder", "ai.hg.fi/internal", "usage:write", now, now.plus(Duration.ofMinutes(30)));
    }

    private HttpResponse<String> post(ServeProcess to, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(to.base() + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + recorder()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ServeProcess from, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(from.base() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean refuses(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean waitingOnALock(Connection db, String kind) {
        try {
            return count(db, "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() "
                    + "and wait_event_type = 'Lock'" + (kind == null ? "" : " and wait_event = '" + kind + "'")) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readyzTurns503FirstThenThePortClosesAndARequestInFlightStillCompletes() throws Exception {
        ServeProcess replica = serve("replica", Map.of("BUS_SHUTDOWN_DRAIN", "5s", "BUS_SHUTDOWN_GRACE", "2m"));
        // The test's own transaction holds the event id, so the server's insert of it waits in PostgreSQL.
        Connection holder = connect();
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.executeUpdate("insert into usage_event_keys (event_id, first_seen_at) values ('slow-in-flight', now())");
        }
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post(replica, "/api/internal/usage-events",
                        "{\"event_id\":\"slow-in-flight\",\"account_id\":\"" + ACCOUNT
                                + "\",\"event_type\":\"usage_recorded\",\"data\":{\"total_tokens\":7}}");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Connection observer = connect();
        await("the request waits in PostgreSQL", Duration.ofSeconds(60), () -> waitingOnALock(observer, null));

        replica.terminate();
        await("/readyz answers 503", Duration.ofSeconds(30), () -> {
            try {
                return get(replica, "/readyz").statusCode() == 503;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("the port closed before /readyz answered 503", e);
            }
        });
        HttpResponse<String> draining = get(replica, "/readyz");
        assertEquals("{\"error\":{\"type\":\"storage_unavailable\",\"message\":\"usage storage is unavailable: "
                + "bus serve is shutting down\"}}", withoutRequestId(draining.body()));
        assertEquals(200, get(replica, "/healthz").statusCode(), "still serving while draining");

        await("the port closes", Duration.ofSeconds(60), () -> refuses(replica.port()));
        assertTrue(replica.process().isAlive(), "the server waits for the request in flight");
        assertFalse(inFlight.isDone(), "the request is still in flight");

        holder.rollback();
        HttpResponse<String> answer = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"accepted\":1,\"duplicates\":0}", answer.body());
        assertEquals(0, replica.awaitExit(Duration.ofSeconds(60)), replica.log());
        assertEquals(1, count(observer, "select count(*) from usage_events where event_id = 'slow-in-flight'"));
        String log = replica.log();
        assertTrue(log.contains("SIGTERM received: shutting down"), log);
        assertTrue(log.indexOf("/readyz answers 503") < log.indexOf("the port is closed"), log);
        assertTrue(log.contains("bus serve stopped"), log);
    }

    @Test
    void anExportPassStoppedMidwayLeavesTheRestOfItsRowsForAnotherReplica() throws Exception {
        ServeProcess first = serve("first", Map.of("BUS_SHUTDOWN_GRACE", "2m"));
        Connection db = connect();
        // Every update of an export row waits while the test holds its advisory lock: the worker's
        // pass is caught sending its first row, with the rest of its batch claimed (locked).
        try (Statement st = db.createStatement()) {
            st.execute("""
                    create function test_hold_export() returns trigger language plpgsql as $$
                    begin perform pg_advisory_xact_lock_shared(%d); return new; end $$""".formatted(HOLD));
            st.execute("create trigger test_hold_export before update on usage_exports for each row execute function test_hold_export()");
            st.execute("select pg_advisory_lock(" + HOLD + ")");
        }
        int total = 150;
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < total; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"event_id\":\"export-").append(i).append("\",\"account_id\":\"").append(ACCOUNT)
                    .append("\",\"event_type\":\"usage_recorded\",\"data\":{\"total_tokens\":3}}");
        }
        HttpResponse<String> recorded = post(first, "/api/internal/usage-events", batch.append("]}").toString());
        assertEquals("{\"accepted\":" + total + ",\"duplicates\":0}", recorded.body());
        assertEquals(total, count(db, "select count(*) from usage_exports"));
        await("the export worker is caught in its pass", Duration.ofSeconds(60), () -> waitingOnALock(db, "advisory"));
        long claimableWhileHeld = count(db, "select count(*) from (select id from usage_exports where state <> 'exported' "
                + "for update skip locked) free");
        assertTrue(claimableWhileHeld < total, "the pass holds the rows it claimed: " + claimableWhileHeld + " free");

        first.terminate();
        await("the server is stopping", Duration.ofSeconds(60), () -> first.log().contains("the port is closed"));
        try (Statement st = db.createStatement()) {
            st.execute("select pg_advisory_unlock(" + HOLD + ")");
        }
        assertEquals(0, first.awaitExit(Duration.ofSeconds(90)), first.log());
        assertFalse(first.log().contains("did not finish within the grace period"), first.log());

        assertEquals(1, count(db, "select count(*) from usage_exports where state = 'exported'"),
                "the stopping pass finished the row it was sending and took no other");
        assertEquals(total - 1, count(db, "select count(*) from usage_exports where state = 'pending' and attempts = 0"));
        assertEquals(total - 1, count(db, "select count(*) from (select id from usage_exports where state <> 'exported' "
                + "for update skip locked) free"), "every row left is claimable: no lock outlived the stopped replica");

        try (Statement st = db.createStatement()) {
            st.execute("drop trigger test_hold_export on usage_exports");
            st.execute("drop function test_hold_export()");
        }
        serve("second", Map.of());
        await("the other replica exports the rest", Duration.ofSeconds(120), () -> {
            try {
                return count(db, "select count(*) from usage_exports where state = 'exported'") == total;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(total, count(db, "select count(*) from usage_exports where attempts = 1"), "each row was sent once");
    }

    /** The body with its error envelope's {@code request_id} (which must be there) taken out. */
    private static String withoutRequestId(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(",\"request_id\":\"[0-9a-f]{32}\"").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no request_id in " + body);
        }
        return m.replaceFirst("");
    }
}
