package fi.hg.bus.app.auth;

import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static fi.hg.bus.app.auth.AuthServers.register;
import static fi.hg.bus.app.auth.AuthServers.requestCode;
import static fi.hg.bus.app.auth.AuthServers.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abuse of one-time codes against two replicas on one database: codes that expire, floods of
 * requests and of tries spread over both replicas. The limits are kept in the database, so they
 * hold across replicas exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeAbuseTest {

    private TestServer server;
    private TestServer replica;
    private OtpLog log;

    @BeforeAll
    void start() {
        log = OtpLog.install();
        server = AuthServers.start(Map.of("BUS_AUTH_OTP_TTL", "2s", "BUS_AUTH_OTP_RATE_LIMIT", "3/1h"));
        replica = TestServer.start(AuthServers.env(AuthServers.databaseOf(server),
                Map.of("BUS_AUTH_OTP_TTL", "2s", "BUS_AUTH_OTP_RATE_LIMIT", "3/1h")), null);
    }

    @AfterAll
    void stop() {
        replica.close();
        server.close();
        log.close();
    }

    @Test
    void an_expired_code_is_refused() throws InterruptedException {
        String email = newEmail();
        register(server, email);
        assertEquals(200, requestCode(server, email).status());
        String code = log.code(email);
        Thread.sleep(2_100);
        String message = verify(replica, email, code).assertError(401, "invalid_auth");
        assertTrue(message.contains("expired"), message);
    }

    @Test
    void a_flood_of_code_requests_over_both_replicas_sends_exactly_the_limit() throws Exception {
        String email = newEmail();
        register(server, email);
        List<Integer> statuses = all(40, i -> requestCode(i % 2 == 0 ? server : replica, email).status());
        assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(37, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        long logged = log.everything().lines().filter(l -> l.contains("BUS_AUTH_OTP " + email + " ")).count();
        assertEquals(3, logged, "exactly three codes were sent");
    }

    @Test
    void a_flood_of_wrong_tries_over_both_replicas_burns_the_code_after_five() throws Exception {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        String code = log.code(email);
        String wrong = code.equals("999999") ? "999998" : "999999";
        List<String> messages = all(30, i -> verify(i % 2 == 0 ? server : replica, email, wrong).errorMessage());
        assertEquals(4, messages.stream().filter(m -> m.contains("left before it is burned")).count(), messages.toString());
        assertEquals(26, messages.stream().filter(m -> m.contains("too many wrong tries")).count(), messages.toString());
        verify(server, email, code).assertError(401, "invalid_auth");
    }

    @Test
    void the_right_code_tried_at_once_on_both_replicas_signs_in_once() throws Exception {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        String code = log.code(email);
        List<Integer> statuses = all(12, i -> verify(i % 2 == 0 ? server : replica, email, code).status());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(11, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
    }

    private interface Call<T> {
        T call(int i) throws Exception;
    }

    private static <T> List<T> all(int n, Call<T> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16))) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> call.call(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
