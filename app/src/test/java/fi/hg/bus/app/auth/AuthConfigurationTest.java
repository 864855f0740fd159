package fi.hg.bus.app.auth;

import fi.hg.bus.app.config.AuthConfig;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static fi.hg.bus.app.auth.AuthServers.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth service's environment (SPEC 6), read at startup: defaults, every setting, and refusals. */
class AuthConfigurationTest {

    @TempDir
    Path dir;

    private static AuthConfig read(Map<String, String> env) {
        return AuthConfig.read(new Env(env));
    }

    @Test
    void the_defaults_are_the_console_sender_a_waitlist_and_the_products_own_end_user_scopes() {
        AuthConfig config = read(Map.of());
        assertEquals(AuthConfig.Sender.CONSOLE, config.sender());
        assertFalse(config.policy().autoApprove());
        assertEquals(Duration.ofMinutes(10), config.policy().codeTtl());
        assertEquals(5, config.policy().codeRequests().max());
        assertEquals(Duration.ofMinutes(15), config.policy().codeRequests().window());
        assertEquals(Duration.ofHours(24), config.policy().sessionTtl());
        assertEquals("billing:read billing:setup llm:proxy keys:read keys:write", config.policy().apiScopes().allowed().text());
        assertTrue(config.internalKey().isEmpty());
    }

    @Test
    void every_setting_is_read() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("key"), "a-key-from-a-file-0123456789\n");
        AuthConfig config = read(Map.of("BUS_AUTH_OTP_SENDER", "SMTP", "BUS_AUTH_SMTP_HOST", "mail.example.com",
                "BUS_AUTH_SMTP_PORT", "587", "BUS_AUTH_SMTP_FROM", "Bus <bus@example.com>", "BUS_AUTH_SMTP_USERNAME", "bus",
                "BUS_AUTH_SMTP_PASSWORD", "smtp-password-here", "BUS_AUTH_AUTO_APPROVE", "true", "BUS_AUTH_OTP_TTL", "5m",
                "BUS_AUTH_OTP_RATE_LIMIT", "3/1h", "BUS_AUTH_SESSION_TTL", "2h"));
        assertEquals(AuthConfig.Sender.SMTP, config.sender());
        assertEquals(587, config.smtp().orElseThrow().port());
        assertFalse(config.smtp().orElseThrow().toString().contains("smtp-password-here"), "the password is never shown");
        assertTrue(config.policy().autoApprove());
        assertEquals(Duration.ofMinutes(5), config.policy().codeTtl());
        assertEquals(3, config.policy().codeRequests().max());
        assertEquals(Duration.ofHours(1), config.policy().codeRequests().window());
        assertEquals(Duration.ofHours(2), config.policy().sessionTtl());

        assertEquals("a-key-from-a-file-0123456789", read(Map.of("BUS_AUTH_INTERNAL_SHARED_KEY_FILE", keyFile.toString()))
                .internalKey().orElseThrow());
        assertEquals("container:run billing:read", read(Map.of("BUS_AUTH_API_USER_RESOURCES", "container:run, billing:read"))
                .policy().apiScopes().allowed().text());
        assertEquals("vm:read", read(Map.of("BUS_AUTH_API_USER_SCOPES", "vm:read")).policy().apiScopes().allowed().text(),
                "Bus's own name for the list is accepted");
        assertEquals(AuthConfig.Sender.SMTP, read(Map.of("BUS_AUTH_SMTP_HOST", "mailhog", "BUS_AUTH_SMTP_FROM", "bus@example.com"))
                .sender(), "an SMTP host alone chooses the SMTP sender");
        assertEquals(AuthConfig.Sender.MEMORY, read(Map.of("BUS_AUTH_OTP_SENDER", "memory")).sender());
    }

    @Test
    void bad_settings_stop_the_start_naming_the_variable() {
        List<Map<String, String>> bad = List.of(
                Map.of("BUS_AUTH_OTP_SENDER", "pigeon"),
                Map.of("BUS_AUTH_OTP_SENDER", "smtp"),
                Map.of("BUS_AUTH_OTP_SENDER", "smtp", "BUS_AUTH_SMTP_HOST", "mail.example.com"),
                Map.of("BUS_AUTH_SMTP_HOST", "mail.example.com", "BUS_AUTH_SMTP_FROM", "not an address"),
                Map.of("BUS_AUTH_SMTP_HOST", "mail.example.com", "BUS_AUTH_SMTP_FROM", "a@example.com", "BUS_AUTH_SMTP_PORT", "70000"),
                Map.of("BUS_AUTH_SMTP_HOST", "mail.example.com", "BUS_AUTH_SMTP_FROM", "a@example.com", "BUS_AUTH_SMTP_USERNAME", "u"),
                Map.of("BUS_AUTH_AUTO_APPROVE", "maybe"),
                Map.of("BUS_AUTH_OTP_TTL", "forever"),
                Map.of("BUS_AUTH_OTP_TTL", "2d"),
                Map.of("BUS_AUTH_OTP_RATE_LIMIT", "5"),
                Map.of("BUS_AUTH_OTP_RATE_LIMIT", "0/1m"),
                Map.of("BUS_AUTH_OTP_RATE_LIMIT", "5/0s"),
                Map.of("BUS_AUTH_SESSION_TTL", "90d"),
                Map.of("BUS_AUTH_API_USER_RESOURCES", "billing:read bad\u0001scope"),
                Map.of("BUS_AUTH_API_USER_RESOURCES", "a", "BUS_AUTH_API_USER_SCOPES", "b"),
                Map.of("BUS_AUTH_INTERNAL_SHARED_KEY", "short"),
                Map.of("BUS_AUTH_INTERNAL_SHARED_KEY", "long-enough-key-0123456789", "BUS_AUTH_INTERNAL_SHARED_KEY_FILE", "/x"),
                Map.of("BUS_AUTH_INTERNAL_SHARED_KEY_FILE", "/nonexistent/key"));
        for (Map<String, String> env : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> read(env), env.toString());
            assertTrue(e.getMessage().contains("BUS_AUTH_"), e.getMessage());
            String key = env.get("BUS_AUTH_INTERNAL_SHARED_KEY");
            if (key != null) {
                assertFalse(e.getMessage().contains(key), "a key is never shown: " + e.getMessage());
            }
        }
    }

    @Test
    void without_storage_the_auth_routes_answer_503_under_both_prefixes() {
        Map<String, String> env = Map.of("BUS_AUTH_HS256_SECRET", TestServer.SECRET, "BUS_STORE", "postgres");
        try (TestServer unavailable = TestServer.start(env, null)) {
            for (String path : List.of("/api/v1/auth/register", "/local-dev/v1/api/v1/auth/register", "/api/internal/auth/token")) {
                unavailable.post(path, null, AuthServers.emailBody(newEmail())).assertError(503, "storage_unavailable");
            }
        }
    }

    @Test
    void with_auto_approve_a_registration_is_approved_at_once() {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_AUTH_AUTO_APPROVE", "true");
        try (TestServer server = AuthServers.start(env)) {
            TestServer.Response r = register(server, newEmail());
            assertEquals(200, r.status(), r.body());
            assertEquals("approved", r.json().get("status").asText());
        }
    }
}
