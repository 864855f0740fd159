package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.SecretFile;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.app.e2e.TestServer.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus operator token … issue --local} run in-process through {@link Main#run}, and the tokens
 * it prints used against a running server (seed 001, SPEC 8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorTokenCommandTest {

    private TestServer server;
    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aRawTokenSignedWithTheConfiguredSecretIsAcceptedByTheServer() {
        Run run = bus(withSecret(), "operator", "token", "--format", "token", "issue", "--local",
                "--subject", "s", "--audience", "ai.hg.fi/internal", "--scope", "usage:read", "--ttl", "1h");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        String token = run.out().strip();
        assertEquals(token + System.lineSeparator(), run.out(), "the token alone, on one line");
        assertEquals(200, server.get(USAGE, token).status());
        server.delete(USAGE, token).assertError(403, "forbidden");
        server.post(USAGE, token, "{\"event_type\":\"usage_recorded\"}").assertError(403, "forbidden");
    }

    @Test
    void theJsonAnswerCarriesTheTokenAndWhatItIsFor() throws Exception {
        Instant before = Instant.now();
        Run run = bus(withSecret(), "operator", "token", "--format", "json", "issue", "--local",
                "--subject", "usage-collector", "--audience", "ai.hg.fi/internal",
                "--scope", "usage:read usage:delete", "--ttl", "1h");
        assertEquals(0, run.code(), run.err());
        JsonNode answer = TestServer.mapper().readTree(run.out());
        assertEquals(List.of("access_token", "token_type", "expires_at", "audience", "scope"), names(answer));
        assertEquals("Bearer", answer.get("token_type").asText());
        assertEquals("ai.hg.fi/internal", answer.get("audience").asText());
        assertEquals("usage:read usage:delete", answer.get("scope").asText());
        Instant expires = Instant.parse(answer.get("expires_at").asText());
        Duration ttl = Duration.between(before, expires);
        assertTrue(ttl.compareTo(Duration.ofMinutes(59)) > 0 && ttl.compareTo(Duration.ofMinutes(61)) < 0, ttl.toString());

        String token = answer.get("access_token").asText();
        Hs256Jwt.Claims claims = new Hs256Jwt(SigningSecret.parse(TestServer.SECRET), Clock.systemUTC()).verify(token);
        assertEquals("usage-collector", claims.subject());
        assertEquals(List.of("ai.hg.fi/internal"), claims.audiences());
        assertEquals(expires.getEpochSecond(), claims.expiresAt().getEpochSecond());
        assertEquals(200, server.get(USAGE, token).status());
        assertEquals(200, server.delete(USAGE + "?before=2000-01-01T00:00:00Z", token).status());
    }

    @Test
    void jsonIsTheDefaultFormat() throws Exception {
        Run run = bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read");
        assertEquals(0, run.code(), run.err());
        JsonNode answer = TestServer.mapper().readTree(run.out());
        assertEquals("ai.hg.fi/internal", answer.get("audience").asText(), "the internal audience is the default");
        assertEquals(200, server.get(USAGE, answer.get("access_token").asText()).status());
    }

    @Test
    void aSecretFileIsUsedBeforeTheEnvironment() throws Exception {
        Path file = dir.resolve("hs256-secret-file");
        Files.writeString(file, TestServer.SECRET + "\n");
        Map<String, String> env = new HashMap<>(noSecret());
        env.put("BUS_AUTH_HS256_SECRET", "some-other-secret-that-the-server-does-not-know");
        Run run = bus(env, "operator", "token", "--format", "token", "issue", "--local", "--hs256-secret-file", file.toString(),
                "--subject", "s", "--scope", "usage:read");
        assertEquals(0, run.code(), run.err());
        assertEquals(200, server.get(USAGE, run.out().strip()).status());
    }

    @Test
    void theEmbeddedServersSecretIsUsedWhenNothingElseIsGiven() throws Exception {
        Path data = dir.resolve("embedded-data");
        SigningSecret embedded = SecretFile.loadOrCreate(data);
        Run run = bus(Map.of("BUS_DATA_DIR", data.toString()), "operator", "token", "--format", "token", "issue", "--local",
                "--subject", "s", "--scope", "usage:read");
        assertEquals(0, run.code(), run.err());
        new Hs256Jwt(embedded, Clock.systemUTC()).verify(run.out().strip());
    }

    @Test
    void theSecretAliasesOfTheServerAreReadToo() {
        Map<String, String> env = new HashMap<>(noSecret());
        env.put("BUS_USAGE_JWT_SECRET", TestServer.SECRET);
        Run run = bus(env, "operator", "token", "--format", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read");
        assertEquals(0, run.code(), run.err());
        assertEquals(200, server.get(USAGE, run.out().strip()).status());
    }

    @Test
    void withoutASecretTheCommandFailsForCredentials() {
        Run run = bus(noSecret(), "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read");
        assertEquals(3, run.code(), run.err());
        assertEquals("", run.out());
        assertFalse(run.err().isBlank());

        Run missingFile = bus(noSecret(), "operator", "token", "issue", "--local", "--hs256-secret-file",
                dir.resolve("absent").toString(), "--subject", "s", "--scope", "usage:read");
        assertEquals(3, missingFile.code(), missingFile.err());

        Map<String, String> shortSecret = new HashMap<>(noSecret());
        shortSecret.put("BUS_AUTH_HS256_SECRET", "too-short");
        Run tooShort = bus(shortSecret, "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read");
        assertEquals(3, tooShort.code(), tooShort.err());
        assertFalse(tooShort.err().contains("too-short"), "the secret is not shown: " + tooShort.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0s", "1x", "-1h", "400d", ""})
    void aBadTtlIsAUsageError(String ttl) {
        Run run = bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read", "--ttl", ttl);
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ai.hg.fi/other", "internal", "https://ai.hg.fi/internal", ""})
    void aBadAudienceIsAUsageError(String audience) {
        Run run = bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read",
                "--audience", audience);
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run run = bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s", "--scope", "usage:read", "--bogus");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("--bogus"), run.err());
        assertEquals(2, bus(withSecret(), "--bogus").code());
    }

    @Test
    void aMissingRequiredOptionOrBadFormatIsAUsageError() {
        assertEquals(2, bus(withSecret(), "operator", "token", "issue", "--local", "--scope", "usage:read").code());
        assertEquals(2, bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s").code());
        assertEquals(2, bus(withSecret(), "operator", "token", "--format", "yaml", "issue", "--local",
                "--subject", "s", "--scope", "usage:read").code());
        assertEquals(2, bus(withSecret(), "operator", "token", "issue", "--local", "--subject", "s",
                "--scope", "usage:read;rm").code());
        assertEquals(2, bus(withSecret(), "operator", "token", "issue", "--hs256-secret-file", "x",
                "--subject", "s", "--scope", "usage:read").code(), "--hs256-secret-file needs --local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "operator", "operator token"})
    void noSubcommandIsAUsageError(String args) {
        Run run = bus(withSecret(), args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(2, run.code(), "out: " + run.out() + " err: " + run.err());
        assertFalse(run.err().isBlank(), "the user is told what is missing");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Run run = bus(withSecret(), "frobnicate");
        assertEquals(2, run.code(), run.err());
    }

    @Test
    void versionPrintsTheVersion() {
        Run run = bus(Map.of(), "--version");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("bus "), run.out());
        assertEquals("", run.err());
    }

    @Test
    void helpIsPrintedToStdout() {
        Run run = bus(Map.of(), "operator", "token", "issue", "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("--subject"), run.out());
    }

    @Test
    void outputWritesTheResultToTheFileInstead() throws Exception {
        Path file = dir.resolve("collector.token");
        Run run = bus(withSecret(), "operator", "token", "--format", "token", "issue", "--local", "--subject", "s",
                "--scope", "usage:read", "--output", file.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.out());
        String token = Files.readString(file).strip();
        assertEquals(200, server.get(USAGE, token).status());
    }

    @Test
    void quietPrintsNothing() {
        Run run = bus(withSecret(), "operator", "token", "--format", "token", "issue", "--local", "--subject", "s",
                "--scope", "usage:read", "--quiet");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.out());
        assertEquals("", run.err());
    }

    @Test
    void serveRefusesABadConfigurationAsAUsageErrorWithoutStarting() {
        Map<String, String> env = Map.of("BUS_DATABASE_URL", "postgres://bus:pw-delta-000@127.0.0.1:1/bus",
                "BUS_USAGE_DATABASE_URL", "postgres://bus:pw-omega-111@127.0.0.1:1/bus",
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        Run twoUrls = bus(env, "serve", "--addr", "127.0.0.1:0");
        assertEquals(2, twoUrls.code(), twoUrls.err());
        assertTrue(twoUrls.err().contains("BUS_DATABASE_URL") && twoUrls.err().contains("BUS_USAGE_DATABASE_URL"), twoUrls.err());
        assertFalse(twoUrls.err().contains("pw-delta-000") || twoUrls.err().contains("pw-omega-111"), twoUrls.err());
        assertEquals(2, bus(withSecret(), "serve", "--addr", "nonsense").code());
    }

    private Map<String, String> noSecret() {
        return Map.of("BUS_DATA_DIR", dir.resolve("empty-data-dir").toString());
    }

    private Map<String, String> withSecret() {
        Map<String, String> env = new HashMap<>(noSecret());
        env.put("BUS_AUTH_HS256_SECRET", TestServer.SECRET);
        return env;
    }

    private static Run bus(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = Main.run(new Env(env), args, o, e);
        }
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
