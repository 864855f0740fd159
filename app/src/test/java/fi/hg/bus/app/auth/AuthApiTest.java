package fi.hg.bus.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.app.e2e.TestServer;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.auth.AuthServers.admin;
import static fi.hg.bus.app.auth.AuthServers.approve;
import static fi.hg.bus.app.auth.AuthServers.emailBody;
import static fi.hg.bus.app.auth.AuthServers.internalToken;
import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static fi.hg.bus.app.auth.AuthServers.register;
import static fi.hg.bus.app.auth.AuthServers.requestCode;
import static fi.hg.bus.app.auth.AuthServers.signIn;
import static fi.hg.bus.app.auth.AuthServers.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth service of SPEC 6 over HTTP, against a real server on PostgreSQL, with the console code sender. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {

    private TestServer server;
    private OtpLog log;

    @BeforeAll
    void start() {
        log = OtpLog.install();
        server = AuthServers.start(Map.of("BUS_AUTH_OTP_RATE_LIMIT", "8/15m"));
    }

    @AfterAll
    void stop() {
        server.close();
        log.close();
    }

    private static Hs256Jwt.Claims claims(String token) throws Hs256Jwt.InvalidToken {
        return new Hs256Jwt(SigningSecret.parse(TestServer.SECRET), Clock.systemUTC()).verify(token);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    // ---- registration ----------------------------------------------------------------------------

    @Test
    void a_new_address_is_registered_on_the_waitlist_and_registering_again_changes_nothing() {
        String email = newEmail();
        TestServer.Response first = register(server, email.toUpperCase());
        assertEquals(200, first.status(), first.body());
        assertEquals(email, first.json().get("email").asText(), "addresses are kept in lower case");
        assertEquals("waitlisted", first.json().get("status").asText());

        approve(server, email);
        TestServer.Response again = register(server, "  " + email + " ");
        assertEquals(200, again.status(), again.body());
        assertEquals("approved", again.json().get("status").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "no-at-sign", "two@@example.com", "a@b@example.com", "user@localhost",
            "user@exa mple.com", "user@-example.com", ".user@example.com", "us..er@example.com",
            "user@example.com\r\nBcc: victim@example.com", "üser@example.com", "user@@", "@example.com"})
    void a_bad_address_is_refused_naming_the_email_field(String email) {
        String message = register(server, email).assertError(400, "bad_request");
        assertTrue(message.startsWith("email: "), message);
    }

    @Test
    void an_address_longer_than_254_characters_is_refused() {
        String email = "a".repeat(64) + "@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(10) + ".com";
        assertTrue(email.length() > 254);
        register(server, email).assertError(400, "bad_request");
    }

    @Test
    void malformed_missing_and_hostile_bodies_are_refused() {
        for (String path : List.of("/api/v1/auth/register", "/api/v1/auth/otp/request", "/api/v1/auth/otp/verify",
                "/local-dev/v1/api/v1/auth/register")) {
            server.post(path, null, "").assertError(400, "bad_request");
            server.post(path, null, "{").assertError(400, "bad_request");
            server.post(path, null, "[]").assertError(400, "bad_request");
            server.post(path, null, "{\"email\":\"a@example.com\"} {}").assertError(400, "bad_request");
            server.post(path, null, "{\"email\":42}").assertError(400, "bad_request");
            server.post(path, null, "{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}").assertError(400, "bad_request");
            server.post(path, null, "{\"email\":\"a@example.com\",\"admin\":true,\"otp\":\"123456\",\"x\":1}")
                    .assertError(400, "bad_request");
            server.post(path, null, "{\"email\":\"" + "a".repeat(1_100_000) + "\"}").assertError(413, "request_body_too_large");
            server.send(server.request(path).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}")).build())
                    .assertError(415, "unsupported_media_type");
        }
    }

    @Test
    void other_methods_are_not_allowed() {
        TestServer.Response r = server.get("/api/v1/auth/register", null);
        r.assertError(405, "method_not_allowed");
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        server.post("/api/v1/auth/status", null, "{}").assertError(405, "method_not_allowed");
        server.delete("/api/internal/auth/token", null).assertError(405, "method_not_allowed");
    }

    @Test
    void the_same_routes_answer_under_local_dev_v1() {
        String email = newEmail();
        TestServer.Response r = server.post("/local-dev/v1/api/v1/auth/register", null, emailBody(email));
        assertEquals(200, r.status(), r.body());
        assertEquals(200, server.post("/local-dev/v1/api/v1/auth/otp/request", null, emailBody(email)).status());
        TestServer.Response v = server.post("/local-dev/v1/api/v1/auth/otp/verify", null,
                TestServer.json(Map.of("email", email, "otp", log.code(email))));
        assertEquals(200, v.status(), v.body());
        String session = v.json().get("access_token").asText();
        assertEquals(200, server.get("/local-dev/v1/api/v1/auth/status", session).status());
        assertEquals(200, server.get("/local-dev/v1/api/v1/auth/admin/waitlist", admin(server)).status());
        TestServer.Response internal = server.send(server.request("/local-dev/v1/api/internal/auth/token")
                .header("X-Bus-Internal-Key", AuthServers.INTERNAL_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"s\",\"scope\":\"usage:read\"}")).build());
        assertEquals(200, internal.status(), internal.body());
    }

    // ---- codes and sessions ------------------------------------------------------------------------

    @Test
    void the_right_code_gives_a_session_token_of_the_auth_audience_whose_subject_is_the_identity() throws Exception {
        String email = newEmail();
        assertEquals(200, register(server, email).status());
        TestServer.Response sent = requestCode(server, email);
        assertEquals(200, sent.status(), sent.body());
        assertEquals(List.of("sent", "email", "expires_at"), names(sent.json()));
        assertFalse(sent.body().contains(log.code(email)), "the code is never answered");

        Instant before = Instant.now();
        TestServer.Response verified = verify(server, email, log.code(email));
        assertEquals(200, verified.status(), verified.body());
        JsonNode answer = verified.json();
        assertEquals(List.of("access_token", "token_type", "expires_at", "identity_id", "status", "email_verified"), names(answer));
        assertEquals("Bearer", answer.get("token_type").asText());
        assertEquals("waitlisted", answer.get("status").asText());
        assertTrue(answer.get("email_verified").asBoolean());
        UUID identity = UUID.fromString(answer.get("identity_id").asText());
        Hs256Jwt.Claims claims = claims(answer.get("access_token").asText());
        assertEquals(identity.toString(), claims.subject());
        assertEquals(List.of("ai.hg.fi/auth"), claims.audiences());
        Instant expires = Instant.parse(answer.get("expires_at").asText());
        assertEquals(expires, claims.expiresAt());
        assertTrue(Duration.between(before, expires).compareTo(Duration.ofHours(23)) > 0, "a session lasts a day");

        TestServer.Response status = server.get("/api/v1/auth/status", answer.get("access_token").asText());
        assertEquals(200, status.status(), status.body());
        assertEquals(List.of("identity_id", "status", "email_verified"), names(status.json()));
        assertEquals(identity.toString(), status.json().get("identity_id").asText());
        assertEquals("waitlisted", status.json().get("status").asText());
        assertTrue(status.json().get("email_verified").asBoolean());
    }

    @Test
    void a_code_is_asked_for_a_registered_address_only() {
        String message = requestCode(server, newEmail()).assertError(404, "not_found");
        assertTrue(message.contains("register"), message);
    }

    @Test
    void five_wrong_tries_burn_the_code_so_that_even_the_right_one_is_refused() {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        String code = log.code(email);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int left = 4; left >= 1; left--) {
            String message = verify(server, email, wrong).assertError(401, "invalid_auth");
            assertTrue(message.contains(left + (left == 1 ? " try" : " tries") + " left"), message);
        }
        String burned = verify(server, email, wrong).assertError(401, "invalid_auth");
        assertTrue(burned.contains("too many wrong tries"), burned);
        String after = verify(server, email, code).assertError(401, "invalid_auth");
        assertTrue(after.contains("too many wrong tries"), after);

        requestCode(server, email);
        assertEquals(200, verify(server, email, log.code(email)).status(), "a new code works");
    }

    @Test
    void a_code_is_good_once() {
        String email = newEmail();
        signIn(server, log, email);
        String message = verify(server, email, log.code(email)).assertError(401, "invalid_auth");
        assertTrue(message.contains("used already"), message);
    }

    @Test
    void a_newer_code_replaces_the_older_one() {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        String first = log.code(email);
        requestCode(server, email);
        String second = log.code(email);
        if (!first.equals(second)) {
            verify(server, email, first).assertError(401, "invalid_auth");
        }
        assertEquals(200, verify(server, email, second).status());
    }

    @Test
    void a_code_without_six_digits_is_a_bad_request_and_costs_no_try() {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        for (String bad : List.of("12345", "1234567", "abcdef", "12 456", "١٢٣٤٥٦", "")) {
            String message = verify(server, email, bad).assertError(400, "bad_request");
            assertTrue(message.startsWith("otp: "), message);
        }
        server.post("/api/v1/auth/otp/verify", null, "{\"email\":\"" + email + "\",\"otp\":123456}").assertError(400, "bad_request");
        server.post("/api/v1/auth/otp/verify", null, "{\"email\":\"" + email + "\"}").assertError(400, "bad_request");
        assertEquals(200, verify(server, email, log.code(email)).status());
    }

    @Test
    void verifying_an_address_that_asked_for_no_code_is_refused() {
        String email = newEmail();
        register(server, email);
        verify(server, email, "123456").assertError(401, "invalid_auth");
        verify(server, newEmail(), "123456").assertError(401, "invalid_auth");
    }

    @Test
    void asking_for_codes_too_often_is_rate_limited_with_retry_after() {
        String email = newEmail();
        register(server, email);
        for (int i = 0; i < 8; i++) {
            assertEquals(200, requestCode(server, email).status());
        }
        String lastSent = log.code(email);
        TestServer.Response limited = requestCode(server, email);
        String message = limited.assertError(429, "rate_limited");
        assertTrue(message.contains("try again in"), message);
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= 900, "Retry-After " + retry);
        assertEquals(lastSent, log.code(email), "no code was sent");
        assertEquals(200, verify(server, email, lastSent).status(), "the last code sent still works");
        String other = newEmail();
        register(server, other);
        assertEquals(200, requestCode(server, other).status(), "other addresses are not limited by this one");
    }

    // ---- API tokens ----------------------------------------------------------------------------------

    @Test
    void an_approved_identity_gets_an_api_token_for_its_own_account() throws Exception {
        String email = newEmail();
        JsonNode session = signIn(server, log, email);
        String sessionToken = session.get("access_token").asText();
        String identity = session.get("identity_id").asText();

        String waiting = server.post("/api/v1/auth/token", sessionToken, "{\"scope\":\"billing:read billing:setup\"}")
                .assertError(403, "forbidden");
        assertTrue(waiting.contains("waitlisted"), waiting);

        approve(server, email);
        assertEquals("approved", server.get("/api/v1/auth/status", sessionToken).json().get("status").asText());
        TestServer.Response issued = server.post("/api/v1/auth/token", sessionToken, "{\"scope\":\"billing:read billing:setup\"}");
        assertEquals(200, issued.status(), issued.body());
        JsonNode answer = issued.json();
        assertEquals(List.of("access_token", "token_type", "expires_at", "audience", "scope"), names(answer));
        assertEquals("ai.hg.fi/api", answer.get("audience").asText());
        assertEquals("billing:read billing:setup", answer.get("scope").asText());
        String apiToken = answer.get("access_token").asText();
        Hs256Jwt.Claims claims = claims(apiToken);
        assertEquals(identity, claims.subject(), "the identity id is the account id");
        assertEquals(List.of("ai.hg.fi/api"), claims.audiences());

        TestServer.Response billing = server.get("/api/v1/billing/status", apiToken);
        assertEquals(200, billing.status(), billing.body());
        assertEquals(identity, billing.json().get("account_id").asText());
        assertEquals("missing", billing.json().get("status").asText());

        server.get("/api/v1/billing/status", sessionToken).assertError(403, "forbidden");
        server.get("/api/v1/auth/status", apiToken).assertError(403, "forbidden");
    }

    @Test
    void resources_are_accepted_for_scope_as_text_or_as_a_list_and_ttl_seconds_sets_the_lifetime() throws Exception {
        String email = newEmail();
        String session = signIn(server, log, email).get("access_token").asText();
        approve(server, email);
        TestServer.Response text = server.post("/api/v1/auth/token", session, "{\"resources\":\"llm:proxy billing:read\"}");
        assertEquals(200, text.status(), text.body());
        assertEquals("llm:proxy billing:read", text.json().get("scope").asText());
        TestServer.Response list = server.post("/api/v1/auth/token", session,
                "{\"resources\":[\"billing:read\"],\"ttl_seconds\":120}");
        assertEquals(200, list.status(), list.body());
        Duration ttl = Duration.between(Instant.now(), claims(list.json().get("access_token").asText()).expiresAt());
        assertTrue(ttl.toSeconds() <= 120 && ttl.toSeconds() > 100, ttl.toString());
        assertNotEquals(text.json().get("access_token").asText(), list.json().get("access_token").asText());
    }

    @Test
    void scopes_outside_the_deployments_list_are_refused_naming_them() {
        String email = newEmail();
        String session = signIn(server, log, email).get("access_token").asText();
        approve(server, email);
        String message = server.post("/api/v1/auth/token", session, "{\"scope\":\"billing:read usage:delete billing:catalog:write\"}")
                .assertError(403, "forbidden");
        assertTrue(message.endsWith("usage:delete billing:catalog:write"), message);
    }

    @Test
    void bad_token_requests_are_refused() {
        String email = newEmail();
        String session = signIn(server, log, email).get("access_token").asText();
        approve(server, email);
        for (String body : List.of("{}", "{\"scope\":\"\"}", "{\"scope\":42}", "{\"scope\":\"a b\",\"resources\":\"a\"}",
                "{\"resources\":[1]}", "{\"scope\":\"bad\\nscope\"}", "{\"scope\":\"billing:read\",\"ttl_seconds\":0}",
                "{\"scope\":\"billing:read\",\"ttl_seconds\":2592001}", "{\"scope\":\"billing:read\",\"ttl_seconds\":\"60\"}",
                "{\"scope\":\"billing:read\",\"audience\":\"ai.hg.fi/internal\"}", "{\"scope\":\"" + "a".repeat(5000) + "\"}")) {
            server.post("/api/v1/auth/token", session, body).assertError(400, "bad_request");
        }
    }

    @Test
    void the_session_routes_need_a_valid_session_token() {
        server.get("/api/v1/auth/status", null).assertError(401, "invalid_auth");
        server.get("/api/v1/auth/status", "not.a.token").assertError(401, "invalid_auth");
        server.post("/api/v1/auth/token", null, "{\"scope\":\"billing:read\"}").assertError(401, "invalid_auth");
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = server.jwt().sign(UUID.randomUUID().toString(), "ai.hg.fi/auth", "auth:session", past, past.plusSeconds(60));
        server.get("/api/v1/auth/status", expired).assertError(401, "invalid_auth");
        server.get("/api/v1/auth/status", server.token("ai.hg.fi/internal", "auth:session")).assertError(403, "forbidden");
        server.get("/api/v1/auth/status", server.token("ai.hg.fi/auth", "auth:session")).assertError(403, "forbidden");
        String stranger = server.jwt().sign(UUID.randomUUID().toString(), "ai.hg.fi/auth", "auth:session",
                Instant.now(), Instant.now().plusSeconds(60));
        server.get("/api/v1/auth/status", stranger).assertError(401, "invalid_auth");
    }

    // ---- logout ----------------------------------------------------------------------------------------

    @Test
    void a_signed_out_session_is_refused_by_every_replica_until_it_expires() {
        String email = newEmail();
        String session = signIn(server, log, email).get("access_token").asText();
        String other = verifyAgain(email);
        try (TestServer replica = server.replica()) {
            assertEquals(200, replica.get("/api/v1/auth/status", session).status());
            TestServer.Response out = server.post("/api/v1/auth/logout", session, "");
            assertEquals(200, out.status(), out.body());
            assertEquals("{\"revoked\":true}", out.body());
            String message = replica.get("/api/v1/auth/status", session).assertError(401, "invalid_auth");
            assertTrue(message.contains("signed out"), message);
            server.post("/api/v1/auth/token", session, "{\"scope\":\"billing:read\"}").assertError(401, "invalid_auth");
            replica.post("/api/v1/auth/logout", session, "{}").assertError(401, "invalid_auth");
            assertEquals(200, replica.get("/api/v1/auth/status", other).status(), "another session of the same identity stays");
        }
        server.post("/api/v1/auth/logout", other, "{\"everything\":true}").assertError(400, "bad_request");
        server.post("/api/v1/auth/logout", null, "").assertError(401, "invalid_auth");
    }

    private String verifyAgain(String email) {
        requestCode(server, email);
        return verify(server, email, log.code(email)).json().get("access_token").asText();
    }

    // ---- operators -------------------------------------------------------------------------------------

    @Test
    void operators_list_the_waitlist_oldest_first_and_approve_or_reject() {
        String first = newEmail();
        String second = newEmail();
        register(server, first);
        register(server, second);
        TestServer.Response list = server.get("/api/v1/auth/admin/waitlist", server.token("ai.hg.fi/auth", "waitlist:read"));
        assertEquals(200, list.status(), list.body());
        List<String> emails = new ArrayList<>();
        list.json().get("items").forEach(i -> emails.add(i.get("email").asText()));
        assertTrue(emails.indexOf(first) >= 0 && emails.indexOf(first) < emails.indexOf(second), emails.toString());
        JsonNode item = list.json().get("items").get(emails.indexOf(first));
        assertEquals(List.of("identity_id", "email", "status", "email_verified", "created_at"), names(item));
        assertFalse(list.json().get("has_more").asBoolean());

        TestServer.Response rejected = server.post("/api/v1/auth/admin/reject", admin(server), emailBody(second));
        assertEquals(200, rejected.status(), rejected.body());
        assertEquals("rejected", rejected.json().get("status").asText());
        TestServer.Response after = server.get("/api/v1/auth/admin/waitlist", admin(server));
        assertFalse(after.body().contains(second), "a rejected identity leaves the waitlist");

        String session = signInExisting(second);
        String message = server.post("/api/v1/auth/token", session, "{\"scope\":\"billing:read\"}").assertError(403, "forbidden");
        assertTrue(message.contains("rejected"), message);
        assertEquals("approved", server.post("/api/v1/auth/admin/approve", admin(server), emailBody(second)).json()
                .get("status").asText(), "an operator may change their mind");
        assertEquals(200, server.post("/api/v1/auth/token", session, "{\"scope\":\"billing:read\"}").status());
    }

    private String signInExisting(String email) {
        requestCode(server, email);
        return verify(server, email, log.code(email)).json().get("access_token").asText();
    }

    @Test
    void the_waitlist_needs_an_auth_token_with_the_waitlist_scopes() {
        String email = newEmail();
        register(server, email);
        server.get("/api/v1/auth/admin/waitlist", null).assertError(401, "invalid_auth");
        server.get("/api/v1/auth/admin/waitlist", server.token("ai.hg.fi/auth", "waitlist:approve")).assertError(403, "forbidden");
        server.get("/api/v1/auth/admin/waitlist", server.token("ai.hg.fi/internal", "waitlist:read waitlist:approve"))
                .assertError(403, "forbidden");
        server.post("/api/v1/auth/admin/approve", server.token("ai.hg.fi/auth", "waitlist:read"), emailBody(email))
                .assertError(403, "forbidden");
        server.post("/api/v1/auth/admin/reject", server.token("ai.hg.fi/api", "waitlist:approve"), emailBody(email))
                .assertError(403, "forbidden");
        String session = signInExisting(email);
        server.post("/api/v1/auth/admin/approve", session, emailBody(email)).assertError(403, "forbidden");
        server.post("/api/v1/auth/admin/approve", admin(server), emailBody(newEmail())).assertError(404, "not_found");
        server.post("/api/v1/auth/admin/approve", admin(server), "{\"email\":\"nope\"}").assertError(400, "bad_request");
        server.post("/api/v1/auth/admin/approve", admin(server), "{\"id\":\"x\"}").assertError(400, "bad_request");
    }

    // ---- internal tokens -------------------------------------------------------------------------------

    @Test
    void the_internal_key_issues_tokens_of_any_audience() throws Exception {
        TestServer.Response r = internalToken(server, AuthServers.INTERNAL_KEY, """
                {"subject":"usage-collector","audience":"ai.hg.fi/internal","scope":"usage:read usage:delete","ttl_seconds":600}""");
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("access_token", "token_type", "expires_at", "audience", "scope"), names(r.json()));
        String token = r.json().get("access_token").asText();
        assertEquals("usage-collector", claims(token).subject());
        assertEquals(200, server.get(TestServer.USAGE, token).status());

        TestServer.Response admin = internalToken(server, AuthServers.INTERNAL_KEY,
                "{\"subject\":\"ops\",\"audience\":\"ai.hg.fi/auth\",\"resources\":[\"waitlist:read\"]}");
        assertEquals(200, admin.status(), admin.body());
        assertEquals(200, server.get("/api/v1/auth/admin/waitlist", admin.json().get("access_token").asText()).status());
        Duration ttl = Duration.between(Instant.now(), Instant.parse(admin.json().get("expires_at").asText()));
        assertTrue(ttl.compareTo(Duration.ofMinutes(59)) > 0 && ttl.compareTo(Duration.ofMinutes(61)) < 0, "one hour by default");
    }

    @Test
    void without_the_right_key_nothing_is_issued_and_nothing_about_the_request_is_answered() {
        String body = "{\"subject\":\"s\",\"audience\":\"ai.hg.fi/internal\",\"scope\":\"usage:read\"}";
        internalToken(server, null, body).assertError(403, "forbidden");
        internalToken(server, "", body).assertError(403, "forbidden");
        internalToken(server, AuthServers.INTERNAL_KEY + "x", body).assertError(403, "forbidden");
        internalToken(server, "wrong", "{not json").assertError(403, "forbidden");
        TestServer.Response twice = server.send(server.request("/api/internal/auth/token")
                .header("X-Bus-Internal-Key", AuthServers.INTERNAL_KEY).header("X-Bus-Internal-Key", "other")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        twice.assertError(403, "forbidden");
        String bearer = server.send(server.request("/api/internal/auth/token")
                .header("Authorization", "Bearer " + server.token("ai.hg.fi/internal", "usage:read"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build())
                .assertError(403, "forbidden");
        assertFalse(bearer.contains(AuthServers.INTERNAL_KEY));
    }

    @Test
    void bad_internal_token_requests_are_refused_once_the_key_is_right() {
        for (String body : List.of("{}", "{\"subject\":\"s\"}", "{\"scope\":\"usage:read\"}",
                "{\"subject\":\"\",\"scope\":\"usage:read\"}", "{\"subject\":\"" + "s".repeat(201) + "\",\"scope\":\"usage:read\"}",
                "{\"subject\":\"a\\u0000b\",\"scope\":\"usage:read\"}",
                "{\"subject\":\"s\",\"audience\":\"ai.hg.fi/everything\",\"scope\":\"usage:read\"}",
                "{\"subject\":\"s\",\"scope\":\"usage:read\",\"ttl_seconds\":31622401}",
                "{\"subject\":\"s\",\"scope\":\"usage:read\",\"ttl_seconds\":-1}",
                "{\"subject\":\"s\",\"scope\":\"usage:read\",\"kid\":\"x\"}", "[]", "")) {
            internalToken(server, AuthServers.INTERNAL_KEY, body).assertError(400, "bad_request");
        }
    }

    @Test
    void with_no_internal_key_configured_internal_issuing_is_always_forbidden() {
        try (TestServer keyless = AuthServers.start(Map.of("BUS_AUTH_INTERNAL_SHARED_KEY", ""))) {
            String message = internalToken(keyless, AuthServers.INTERNAL_KEY,
                    "{\"subject\":\"s\",\"scope\":\"usage:read\"}").assertError(403, "forbidden");
            assertTrue(message.contains("BUS_AUTH_INTERNAL_SHARED_KEY"), message);
            internalToken(keyless, null, "{}").assertError(403, "forbidden");
        }
    }

    // ---- nothing secret in logs ------------------------------------------------------------------------

    @Test
    void tokens_never_appear_in_the_servers_log() {
        String email = newEmail();
        JsonNode session = signIn(server, log, email);
        approve(server, email);
        String sessionToken = session.get("access_token").asText();
        String apiToken = server.post("/api/v1/auth/token", sessionToken, "{\"scope\":\"billing:read\"}").json()
                .get("access_token").asText();
        server.get("/api/v1/billing/status", apiToken);
        server.post("/api/v1/auth/logout", sessionToken, "");
        server.get("/api/v1/auth/status", sessionToken);
        internalToken(server, AuthServers.INTERNAL_KEY, "{\"subject\":\"s\",\"scope\":\"usage:read\"}");
        String logged = log.everything();
        assertTrue(logged.contains("BUS_AUTH_OTP " + email), "the console sender logged the code");
        for (String secret : List.of(sessionToken, apiToken, AuthServers.INTERNAL_KEY, TestServer.SECRET)) {
            assertFalse(logged.contains(secret), "a secret was logged");
        }
        assertFalse(logged.contains(sessionToken.substring(sessionToken.lastIndexOf('.') + 1)), "no signature was logged");
    }

    @Test
    void the_code_is_stored_only_as_a_digest() throws Exception {
        String email = newEmail();
        register(server, email);
        requestCode(server, email);
        String code = log.code(email);
        List<String> stored = new ArrayList<>();
        try (var c = fi.hg.bus.adapters.persistence.testing.TestDatabases.connect(databaseOf(server));
             var s = c.prepareStatement("select c.* from one_time_codes c join identities i on i.id = c.identity_id where i.email = ?")) {
            s.setString(1, email);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        stored.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }
        }
        assertFalse(stored.isEmpty());
        assertTrue(stored.stream().noneMatch(v -> v.contains(code)), stored.toString());
        assertTrue(stored.stream().anyMatch(v -> v.matches("[0-9a-f]{64}")), "a 64-hex digest is kept");
    }

    private fi.hg.bus.adapters.persistence.store.DatabaseUrl databaseOf(TestServer s) {
        return AuthServers.databaseOf(s);
    }
}
