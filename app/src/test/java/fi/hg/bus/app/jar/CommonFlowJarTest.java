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
import java.net.URLEncoder;
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
 * the user and the operator run it, reading the one-time code from the server's log. It goes to
 * the end of the flow on the local provider: {@code bus billing status} with billing missing and
 * the next command shown, a catalog stored by the operator, {@code bus billing setup} printing the
 * local checkout's URL, the checkout completed over plain HTTP as a browser would (cookie, hidden
 * CSRF field, the chosen plan, same-origin form), {@code bus billing status} active,
 * {@code bus billing portal} printing a URL that shows the portal, and the feature token.
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

    private static final String CATALOG = """
            {"products":[{"id":"llm","name":"LLM access"},{"id":"runner","name":"Container runner"}],
             "meters":[{"name":"bus_llm_tokens","unit":"tokens"},{"name":"bus_container_runtime_seconds","unit":"seconds"}],
             "plans":[
              {"id":"llm-basic","name":"LLM Basic","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"minute","limit":20000,"upgrade_plan_id":"llm-pro"},
                         {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":1000000,"upgrade_plan_id":"llm-pro"}]},
              {"id":"llm-pro","name":"LLM Pro","product_id":"llm","features":["llm:proxy"],
               "prices":[{"currency":"eur","unit_amount":5000,"interval":"month"}],
               "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":10000000}]},
              {"id":"runner","name":"Runner","product_id":"runner","features":["container:run"],
               "prices":[{"currency":"eur","unit_amount":900,"interval":"month"}],
               "quotas":[{"feature":"container:run","meter_event_name":"bus_container_runtime_seconds","window":"day","limit":3600}]}]}""";
    private static final Pattern HIDDEN_CSRF = Pattern.compile("<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\">");
    private static final Pattern CHECKED_PLAN = Pattern.compile("<input type=\"radio\" name=\"plan_id\" value=\"([^\"]+)\" checked>");

    private static String first(Pattern pattern, String html) {
        Matcher m = pattern.matcher(html);
        assertTrue(m.find(), () -> pattern + " is not in the page:\n" + html);
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * What a browser does on the local pages: keeps their cookies ({@code name=value} for the cookie's
     * {@code Path}, sent back as a browser sends them), follows no redirect, sends forms with its Origin.
     * Not java.net.CookieManager: it reads a {@code Max-Age} cookie as RFC 2965 and sends it quoted
     * with {@code $Path}, which no browser does.
     */
    private static final class Browser {
        private final HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final Map<String, String> cookies = new HashMap<>();

        HttpResponse<String> get(URI url) throws Exception {
            return send(HttpRequest.newBuilder(url).header("Accept", "text/html").GET(), url);
        }

        HttpResponse<String> post(URI url, String form) throws Exception {
            String origin = url.getScheme() + "://" + url.getAuthority();
            return send(HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", origin)
                    .header("Sec-Fetch-Site", "same-origin")
                    .POST(HttpRequest.BodyPublishers.ofString(form)), url);
        }

        private HttpResponse<String> send(HttpRequest.Builder request, URI url) throws Exception {
            List<String> sent = new ArrayList<>();
            cookies.forEach((key, pair) -> {
                String path = key.substring(0, key.indexOf(' '));
                if (url.getPath().equals(path) || url.getPath().startsWith(path.endsWith("/") ? path : path + "/")) {
                    sent.add(pair);
                }
            });
            if (!sent.isEmpty()) {
                request.header("Cookie", String.join("; ", sent));
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String[] parts = header.split(";");
                String pair = parts[0].strip();
                String path = "/";
                for (String attribute : parts) {
                    String a = attribute.strip();
                    if (a.regionMatches(true, 0, "Path=", 0, 5)) {
                        path = a.substring(5);
                    }
                }
                cookies.put(path + " " + pair.substring(0, pair.indexOf('=')), pair);
            }
            return response;
        }
    }

    @Test
    void the_seeds_common_flow_goes_from_registration_through_the_local_checkout_to_an_active_plan_and_the_portal() throws Exception {
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

        // The operator stores a catalog, with an internal token signed here with the server's secret.
        Path secretFile = Files.writeString(work.resolve("hs256-secret"), SECRET + "\n");
        Path billingTokenFile = work.resolve("operator-billing.token");
        Run billingToken = bus(Map.of(), "operator", "token", "--format", "token", "issue", "--local",
                "--hs256-secret-file", secretFile.toString(), "--subject", "operator",
                "--scope", "billing:read billing:catalog:read billing:catalog:write", "--output", billingTokenFile.toString());
        assertEquals(0, billingToken.code(), billingToken::describe);
        Path catalogFile = Files.writeString(work.resolve("catalog.json"), CATALOG);
        Run catalog = bus(operator, "operator", "billing", "catalog", "put", "--file", catalogFile.toString(),
                "--token-file", billingTokenFile.toString());
        assertEquals(0, catalog.code(), catalog::describe);
        assertTrue(catalog.out().contains("2 products, 2 meters, 3 plans"), catalog::describe);

        // bus billing setup prints the local checkout's URL, on this server.
        String returnUrl = "http://127.0.0.1:1/done";
        Run setup = bus(user, "billing", "setup", "--return-url", returnUrl);
        assertEquals(0, setup.code(), setup::describe);
        URI checkout = URI.create(setup.out().strip());
        assertEquals(api, checkout.getScheme() + "://" + checkout.getAuthority(), setup::describe);
        assertTrue(checkout.getPath().startsWith("/billing/local/checkout/"), setup::describe);

        // The checkout as a browser completes it: the page, its cookie and form, then the form sent back.
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(checkout);
        assertEquals(200, page.statusCode(), page::body);
        String html = page.body();
        assertTrue(html.contains("LLM Basic") && html.contains("LLM Pro") && html.contains("Runner"),
                "without a feature every plan is offered: " + html);
        String csrf = first(HIDDEN_CSRF, html);
        String plan = first(CHECKED_PLAN, html);
        assertEquals("llm-basic", plan, "the first plan of the catalog is chosen");
        HttpResponse<String> done = browser.post(checkout, "csrf=" + enc(csrf) + "&plan_id=" + enc(plan));
        assertEquals(303, done.statusCode(), done::body);
        assertEquals(returnUrl, done.headers().firstValue("Location").orElse(null));

        Run active = bus(user, "billing", "status");
        assertEquals(0, active.code(), active::describe);
        assertTrue(active.out().contains("Status    active"), active::describe);
        assertTrue(active.out().contains("llm-basic"), active::describe);
        JsonNode activeJson = JSON.readTree(bus(user, "billing", "status", "--format", "json").out());
        assertEquals("active", activeJson.get("status").asText());
        assertEquals("llm-basic", activeJson.get("plan_id").asText());
        assertEquals("local", activeJson.get("provider").asText());

        // bus billing portal prints the portal's URL, which shows the active plan.
        Run portal = bus(user, "billing", "portal", "--return-url", returnUrl);
        assertEquals(0, portal.code(), portal::describe);
        URI portalUrl = URI.create(portal.out().strip());
        assertTrue(portalUrl.getPath().startsWith("/billing/local/portal/"), portal::describe);
        HttpResponse<String> portalPage = new Browser().get(portalUrl);
        assertEquals(200, portalPage.statusCode(), portalPage::body);
        assertTrue(portalPage.body().contains("Your billing") && portalPage.body().contains("status-active")
                && portalPage.body().contains("LLM Basic"), portalPage::body);

        // With billing set up, the feature token of the seed's next step.
        Run llmToken = bus(user, "auth", "token", "--scope", "llm:proxy billing:read");
        assertEquals(0, llmToken.code(), llmToken::describe);
        String llmApiToken = llmToken.out().strip();

        String everything = String.join("\n", register.out(), register.err(), login.out(), login.err(), verify.out(), verify.err(),
                status.out(), status.err(), approve.out(), approve.err(), billing.out(), billing.err(), json.out(), json.err(),
                catalog.out(), catalog.err(), setup.out(), setup.err(), active.out(), active.err(), portal.out(), portal.err(),
                html, portalPage.body(), log());
        for (String secret : List.of(session, apiToken, llmApiToken, INTERNAL_KEY, SECRET)) {
            assertFalse(everything.contains(secret), "a secret shows in an output or the server's log");
        }
    }
}
