package fi.hg.bus.app.jar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.adapters.persistence.testing.TestDatabases;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Common Flow of seed 000 through the built {@code bus.jar}: {@code java -jar bus.jar serve} runs
 * as a process on a test database with the console code sender, and every step is the jar run as
 * the user and the operator run it, reading the one-time code from the server's log. It goes as
 * far as this branch has commands: {@code bus billing status} with billing missing and the next
 * command shown ({@code bus billing setup}, the local checkout and the portal come with the
 * hosted-setup work).
 * <p>
 * Runs in Maven's integration-test phase, after the jar is built (the {@code jar-tests} execution
 * of app/pom.xml passes the jar's path as {@code bus.jar}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommonFlowJarTest {

    private static final String SECRET = "common-flow-jar-test-hs256-secret-0123456789";
    private static final String INTERNAL_KEY = "common-flow-jar-test-internal-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path jar;
    private Path work;
    private DatabaseUrl database;
    private Process server;
    private Path serverLog;
    private String api;

    record Run(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    void startTheServerFromTheJar() throws Exception {
        String configured = System.getProperty("bus.jar");
        Assumptions.assumeTrue(configured != null,
                "runs in the integration-test phase on the built jar: ./mvnw -B verify -pl app -am -Dtest=CommonFlowJarTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false");
        jar = Path.of(configured);
        assertTrue(Files.isRegularFile(jar), "the jar is built: " + jar);
        work = Files.createTempDirectory("bus-common-flow");
        database = TestDatabases.create();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        serverLog = work.resolve("serve.log");
        Map<String, String> env = new HashMap<>();
        env.put("BUS_DATABASE_URL", TestServer.postgresUrl(database));
        env.put("BUS_AUTH_HS256_SECRET", SECRET);
        env.put("BUS_AUTH_OTP_SENDER", "console");
        env.put("BUS_AUTH_INTERNAL_SHARED_KEY", INTERNAL_KEY);
        env.put("BUS_DATABASE_POOL_SIZE", "4");
        ProcessBuilder serve = process(env, "serve", "--addr", "127.0.0.1:" + port);
        serve.redirectErrorStream(true).redirectOutput(serverLog.toFile());
        server = serve.start();
        awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    /** {@code java -jar bus.jar ARGS} with a clean environment: nothing of the test JVM's BUS_* settings leaks in. */
    private ProcessBuilder process(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(work.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("BUS_") || k.equals("NO_COLOR") || k.equals("XDG_CONFIG_HOME"));
        b.environment().put("HOME", work.resolve("home").toString());
        b.environment().putAll(env);
        return b;
    }

    private Run bus(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = process(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bus " + String.join(" ", args) + " finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), () -> "bus serve exited:\n" + log());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("bus serve did not become ready:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(serverLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The code the console sender wrote to the server's log for {@code email}, as a developer reads it. */
    private String codeFromLog(String email) throws InterruptedException {
        Pattern line = Pattern.compile("BUS_AUTH_OTP " + Pattern.quote(email) + " (\\d{6})");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(log());
            String code = null;
            while (m.find()) {
                code = m.group(1);
            }
            if (code != null) {
                return code;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no code for " + email + " in the server's log:\n" + log());
    }

    @Test
    void the_seeds_common_flow_reaches_billing_status_with_the_next_command() throws Exception {
        String email = "user@example.com";
        Path home = work.resolve("config");
        Map<String, String> user = Map.of("BUS_API_URL", api, "BUS_CONFIG_DIR", home.toString());

        Run register = bus(user, "auth", "register", "--email", email);
        assertEquals(0, register.code(), register::describe);
        assertTrue(register.out().contains("waitlisted"), register::describe);

        Run login = bus(user, "auth", "login", "--email", email);
        assertEquals(0, login.code(), login::describe);
        String otp = codeFromLog(email);

        Run verify = bus(user, "auth", "verify", "--email", email, "--otp", otp);
        assertEquals(0, verify.code(), verify::describe);
        String session = Files.readString(home.resolve("auth/token")).strip();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("auth/token"))));

        Run status = bus(user, "auth", "status");
        assertEquals(0, status.code(), status::describe);
        assertTrue(status.out().contains("Status    waitlisted"), status::describe);

        Run early = bus(user, "auth", "token", "--scope", "billing:read billing:setup");
        assertEquals(3, early.code(), "no API token before approval: " + early.describe());

        // The operator approves the account, with an auth-service token issued through the internal key.
        Path keyFile = Files.writeString(work.resolve("internal-key"), INTERNAL_KEY + "\n");
        Path adminTokenFile = work.resolve("operator-auth.token");
        Run adminToken = bus(Map.of(), "operator", "token", "--api-url", api + "/local-dev/v1", "--internal-key-file", keyFile.toString(),
                "--format", "token", "issue", "--subject", "operator", "--audience", "ai.hg.fi/auth",
                "--scope", "waitlist:read waitlist:approve", "--output", adminTokenFile.toString());
        assertEquals(0, adminToken.code(), adminToken::describe);
        Map<String, String> operator = Map.of("BUS_API_URL", api);
        Run waitlist = bus(operator, "operator", "auth", "waitlist", "--token-file", adminTokenFile.toString());
        assertEquals(0, waitlist.code(), waitlist::describe);
        assertTrue(waitlist.out().contains(email), waitlist::describe);
        Run approve = bus(operator, "operator", "auth", "approve", "--email", email, "--token-file", adminTokenFile.toString());
        assertEquals(0, approve.code(), approve::describe);

        Run approved = bus(user, "auth", "status");
        assertTrue(approved.out().contains("Status    approved"), approved::describe);

        Run token = bus(user, "auth", "token", "--scope", "billing:read billing:setup");
        assertEquals(0, token.code(), token::describe);
        String apiToken = token.out().strip();
        assertEquals(apiToken, Files.readString(home.resolve("auth/api-token")).strip());

        Run billing = bus(user, "billing", "status");
        assertEquals(0, billing.code(), billing::describe);
        assertTrue(billing.out().contains("Status    missing"), billing::describe);
        assertTrue(billing.out().endsWith("Billing is not set up for this account.\nNext: bus billing setup\n"), billing::describe);

        Run json = bus(user, "billing", "status", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        JsonNode answer = JSON.readTree(json.out());
        String identity = JSON.readTree(bus(user, "auth", "status", "--format", "json").out()).get("identity_id").asText();
        assertEquals(identity, answer.get("account_id").asText(), "the identity id is the account id");
        assertEquals("setup_billing", answer.get("next_action").asText());

        String everything = String.join("\n", register.out(), register.err(), login.out(), login.err(), verify.out(), verify.err(),
                status.out(), status.err(), approve.out(), approve.err(), billing.out(), billing.err(), json.out(), json.err(), log());
        for (String secret : List.of(session, apiToken, INTERNAL_KEY, SECRET)) {
            assertFalse(everything.contains(secret), "a secret shows in an output or the server's log");
        }
    }
}
