package fi.hg.bus.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static fi.hg.bus.app.auth.AuthServers.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus operator token issue} through the auth service with the internal key, and
 * {@code bus operator auth waitlist|approve|reject}, in-process against a real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAuthCliTest {

    private TestServer server;
    private String api;
    private Path keyFile;
    private String adminToken;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    void start() throws Exception {
        server = AuthServers.start(Map.of());
        api = "http://127.0.0.1:" + server.port();
        keyFile = Files.writeString(Files.createTempDirectory("operator-auth").resolve("internal-key"), AuthServers.INTERNAL_KEY + "\n");
        Run issued = bus(Map.of(), "operator", "token", "--api-url", api, "--internal-key-file", keyFile.toString(),
                "--format", "token", "issue", "--subject", "ops", "--audience", "ai.hg.fi/auth", "--scope", "waitlist:read waitlist:approve");
        assertEquals(0, issued.code(), issued::describe);
        adminToken = issued.out().strip();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Run bus(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Map<String, String> operator() {
        return Map.of("BUS_API_URL", api, "BUS_OPERATOR_AUTH_TOKEN", adminToken);
    }

    // ---- bus operator token issue, remote --------------------------------------------------------

    @Test
    void the_auth_service_issues_a_token_for_the_internal_key_from_a_file_or_the_environment() throws Exception {
        Run json = bus(Map.of("BUS_API_URL", api, "BUS_OPERATOR_INTERNAL_KEY", AuthServers.INTERNAL_KEY), "operator", "token",
                "issue", "--subject", "usage-collector", "--scope", "usage:read usage:delete", "--ttl", "1h");
        assertEquals(0, json.code(), json::describe);
        JsonNode answer = TestServer.mapper().readTree(json.out());
        assertEquals("ai.hg.fi/internal", answer.get("audience").asText());
        assertEquals("usage:read usage:delete", answer.get("scope").asText());
        Hs256Jwt.Claims claims = new Hs256Jwt(SigningSecret.parse(TestServer.SECRET), Clock.systemUTC())
                .verify(answer.get("access_token").asText());
        assertEquals("usage-collector", claims.subject());
        assertEquals(200, server.get(TestServer.USAGE, answer.get("access_token").asText()).status());
        assertFalse(json.err().contains(AuthServers.INTERNAL_KEY) || json.out().contains(AuthServers.INTERNAL_KEY));
    }

    @Test
    void the_local_dev_address_of_bus_works_and_the_token_file_is_written_for_its_owner_only() throws Exception {
        Path out = dir.resolve("usage-collector.token");
        Run r = bus(Map.of(), "operator", "token", "--api-url", api + "/local-dev/v1", "--internal-key-file", keyFile.toString(),
                "--format", "token", "issue", "--subject", "usage-collector", "--audience", "ai.hg.fi/internal",
                "--scope", "usage:read usage:delete", "--ttl", "1h", "--output", out.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals("", r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(200, server.get(TestServer.USAGE, Files.readString(out).strip()).status());
    }

    @Test
    void a_wrong_missing_or_unreadable_key_is_a_credentials_failure() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong-key"), "not-the-internal-key-at-all");
        Run refused = bus(Map.of("BUS_API_URL", api), "operator", "token", "--internal-key-file", wrong.toString(),
                "issue", "--subject", "s", "--scope", "usage:read");
        assertEquals(3, refused.code(), refused::describe);
        assertTrue(refused.err().contains("the token may not do this (forbidden: the internal key is not valid)"), refused::describe);
        assertTrue(refused.err().contains("BUS_AUTH_INTERNAL_SHARED_KEY"), refused::describe);
        assertFalse(refused.err().contains("not-the-internal-key-at-all"));

        Run none = bus(Map.of("BUS_API_URL", api), "operator", "token", "issue", "--subject", "s", "--scope", "usage:read");
        assertEquals(3, none.code(), none::describe);
        assertTrue(none.err().contains("no internal key: give --internal-key-file FILE"), none::describe);

        Run missing = bus(Map.of("BUS_API_URL", api), "operator", "token", "--internal-key-file", dir.resolve("nope").toString(),
                "issue", "--subject", "s", "--scope", "usage:read");
        assertEquals(3, missing.code(), missing::describe);

        Path empty = Files.writeString(dir.resolve("empty-key"), "\n");
        assertEquals(3, bus(Map.of("BUS_API_URL", api), "operator", "token", "--internal-key-file", empty.toString(),
                "issue", "--subject", "s", "--scope", "usage:read").code());
    }

    @Test
    void local_and_remote_options_do_not_mix_and_bad_values_are_usage_errors() {
        for (String[] args : List.of(
                new String[]{"operator", "token", "--api-url", api, "issue", "--local", "--subject", "s", "--scope", "usage:read"},
                new String[]{"operator", "token", "--internal-key-file", "k", "issue", "--local", "--subject", "s", "--scope", "usage:read"},
                new String[]{"operator", "token", "--api-url", "ftp://x", "issue", "--subject", "s", "--scope", "usage:read"},
                new String[]{"operator", "token", "--timeout", "never", "issue", "--subject", "s", "--scope", "usage:read"},
                new String[]{"operator", "token", "issue", "--subject", "s", "--scope", "usage:read", "--audience", "everyone"})) {
            Run r = bus(Map.of("BUS_OPERATOR_INTERNAL_KEY", AuthServers.INTERNAL_KEY), args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        }
    }

    // ---- bus operator auth ------------------------------------------------------------------------

    @Test
    void operators_see_the_waitlist_and_approve_and_reject_by_email() throws Exception {
        String first = newEmail();
        String second = newEmail();
        register(server, first);
        register(server, second);

        Run list = bus(operator(), "operator", "auth", "waitlist");
        assertEquals(0, list.code(), list::describe);
        assertTrue(list.out().startsWith("EMAIL"), list::describe);
        assertTrue(list.out().indexOf(first) < list.out().indexOf(second), list::describe);
        assertTrue(list.out().contains("Approve with: bus operator auth approve --email EMAIL"), list::describe);

        Run json = bus(operator(), "operator", "auth", "waitlist", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        assertTrue(TestServer.mapper().readTree(json.out()).get("items").isArray());

        Run approve = bus(operator(), "operator", "auth", "approve", "--email", first);
        assertEquals(0, approve.code(), approve::describe);
        assertTrue(approve.out().matches(java.util.regex.Pattern.quote(first) + " is approved \\(identity [0-9a-f-]{36}\\)\\.\\n"),
                approve::describe);
        Run reject = bus(operator(), "operator", "auth", "reject", "--email", second, "--format", "json");
        assertEquals(0, reject.code(), reject::describe);
        assertEquals("rejected", TestServer.mapper().readTree(reject.out()).get("status").asText());
        Run after = bus(operator(), "operator", "auth", "waitlist");
        assertFalse(after.out().contains(first) || after.out().contains(second), after::describe);
    }

    @Test
    void operator_auth_failures_have_their_messages_and_exit_codes() throws Exception {
        Run noToken = bus(Map.of("BUS_API_URL", api), "operator", "auth", "waitlist");
        assertEquals(3, noToken.code(), noToken::describe);
        assertTrue(noToken.err().contains("no operator token") && noToken.err().contains("--audience ai.hg.fi/auth"), noToken::describe);

        Run wrongAudience = bus(Map.of("BUS_API_URL", api, "BUS_OPERATOR_TOKEN", server.token("ai.hg.fi/internal",
                "waitlist:read waitlist:approve")), "operator", "auth", "waitlist");
        assertEquals(3, wrongAudience.code(), wrongAudience::describe);
        assertTrue(wrongAudience.err().contains("needs ai.hg.fi/auth"), wrongAudience::describe);

        Path readOnly = Files.writeString(dir.resolve("read-only.token"), server.token("ai.hg.fi/auth", "waitlist:read"));
        Run lacking = bus(Map.of("BUS_API_URL", api), "operator", "auth", "approve", "--email", newEmail(),
                "--token-file", readOnly.toString());
        assertEquals(3, lacking.code(), lacking::describe);
        assertTrue(lacking.err().contains("token lacks the scope waitlist:approve"), lacking::describe);

        Run unknown = bus(operator(), "operator", "auth", "approve", "--email", newEmail());
        assertEquals(1, unknown.code(), unknown::describe);
        assertTrue(unknown.err().contains("no identity is registered with this email address"), unknown::describe);

        Map<String, String> env = new HashMap<>(operator());
        for (String[] args : List.of(new String[]{"operator", "auth"}, new String[]{"operator", "auth", "approve"},
                new String[]{"operator", "auth", "reject", "--email", "nobody"}, new String[]{"operator", "auth", "waitlist", "--all"})) {
            Run r = bus(env, args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        }
    }
}
