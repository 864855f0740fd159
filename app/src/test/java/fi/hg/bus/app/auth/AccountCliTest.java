package fi.hg.bus.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static fi.hg.bus.app.auth.AuthServers.newEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus auth} and {@code bus billing status} run in-process through {@link Main#run} against a
 * real server with the console code sender: the account flow, what is saved where, every failure
 * path with its message and exit code, and that tokens never show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountCliTest {

    private static final String HINT = "bus auth token --scope \"billing:read billing:setup\"";
    /** {"alg":"HS256"} . {"sub":"x","scope":"billing:read billing:setup","exp":4102444800} . a signature that is not one. */
    private static final String BAD_SIGNATURE = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            "{\"alg\":\"HS256\"}".getBytes()) + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            "{\"sub\":\"x\",\"scope\":\"billing:read billing:setup\",\"exp\":4102444800}".getBytes()) + ".c2lnbmF0dXJl";

    private TestServer server;
    private OtpLog log;
    private String api;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    void start() {
        log = OtpLog.install();
        server = AuthServers.start(Map.of());
        api = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() {
        server.close();
        log.close();
    }

    /** The environment of a user whose config root is {@code home}. */
    private Map<String, String> user(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_API_URL", api);
        env.put("BUS_CONFIG_DIR", home.toString());
        return env;
    }

    private static Run bus(Map<String, String> env, String... args) {
        return busOn(false, env, args);
    }

    private static Run busOn(boolean terminal, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out, true), new PrintWriter(err, true), terminal);
        return new Run(code, out.toString(), err.toString());
    }

    /** Registers, signs in and (when asked) approves, all through the CLI; returns the user's environment. */
    private Map<String, String> signedIn(String email, boolean approve) {
        Map<String, String> env = user(dir.resolve(UUID.randomUUID().toString()));
        assertEquals(0, bus(env, "auth", "register", "--email", email).code());
        assertEquals(0, bus(env, "auth", "login", "--email", email).code());
        Run verify = bus(env, "auth", "verify", "--email", email, "--otp", log.code(email));
        assertEquals(0, verify.code(), verify::describe);
        if (approve) {
            AuthServers.approve(server, email);
        }
        return env;
    }

    private Map<String, String> withBillingToken(String email) {
        Map<String, String> env = signedIn(email, true);
        Run token = bus(env, "auth", "token", "--scope", "billing:read billing:setup");
        assertEquals(0, token.code(), token::describe);
        return env;
    }

    // ---- the account flow --------------------------------------------------------------------

    @Test
    void the_account_flow_of_the_seed_saves_the_session_and_the_api_token_readable_by_the_user_only() throws Exception {
        String email = newEmail();
        Path home = dir.resolve("flow");
        Map<String, String> env = user(home);

        Run register = bus(env, "auth", "register", "--email", email);
        assertEquals(0, register.code(), register::describe);
        assertEquals("Registered " + email + ": waitlisted.\nNext: bus auth login --email " + email + "\n", register.out());
        assertEquals("", register.err());

        Run login = bus(env, "auth", "login", "--email", email);
        assertEquals(0, login.code(), login::describe);
        assertTrue(login.out().startsWith("A one-time code was sent to " + email + "; it is good until "), login::describe);
        assertTrue(login.out().endsWith("Next: bus auth verify --email " + email + " --otp CODE\n"), login::describe);

        Run verify = bus(env, "auth", "verify", "--email", email, "--otp", log.code(email));
        assertEquals(0, verify.code(), verify::describe);
        Path session = home.resolve("auth/token");
        assertTrue(verify.out().startsWith("Signed in as " + email + ".\nIdentity  "), verify::describe);
        assertTrue(verify.out().contains("Status    waitlisted\nSession   saved in " + session + " (until "), verify::describe);
        assertTrue(verify.out().contains("Waiting for an operator's approval"), verify::describe);
        String sessionToken = Files.readString(session).strip();
        assertFalse(verify.out().contains(sessionToken) || verify.err().contains(sessionToken), "the session token is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session.getParent())));

        Run waiting = bus(env, "auth", "token", "--scope", "billing:read billing:setup");
        assertEquals(3, waiting.code(), waiting::describe);
        assertTrue(waiting.err().contains("the identity is waitlisted"), waiting::describe);

        AuthServers.approve(server, email);
        Run status = bus(env, "auth", "status");
        assertEquals(0, status.code(), status::describe);
        assertTrue(status.out().contains("Status    approved\nEmail     verified\nNext: " + HINT), status::describe);

        Run token = bus(env, "auth", "token", "--scope", "billing:read billing:setup");
        assertEquals(0, token.code(), token::describe);
        String apiToken = token.out().strip();
        assertEquals(apiToken + "\n", token.out(), "token prints the raw JWT alone");
        assertEquals(3, apiToken.split("\\.").length);
        Path saved = home.resolve("auth/api-token");
        assertEquals(apiToken, Files.readString(saved).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));

        Run billing = bus(env, "billing", "status");
        assertEquals(0, billing.code(), billing::describe);
        String identity = server.get("/api/v1/auth/status", sessionToken).json().get("identity_id").asText();
        assertEquals("Account   " + identity + "\nStatus    missing\nPlan      none\nFeatures  none\n\n"
                + "Billing is not set up for this account.\nNext: bus billing setup\n", billing.out());
        assertFalse(billing.out().contains(apiToken) || billing.err().contains(apiToken));

        Run logout = bus(env, "auth", "logout");
        assertEquals(0, logout.code(), logout::describe);
        assertEquals("Signed out: the session is revoked on the server; removed " + session + " and " + saved + ".\n", logout.out());
        assertFalse(Files.exists(session));
        assertFalse(Files.exists(saved));
        server.get("/api/v1/auth/status", sessionToken).assertError(401, "invalid_auth");
        Run after = bus(env, "auth", "status");
        assertEquals(3, after.code(), after::describe);
        assertTrue(after.err().contains("not signed in"), after::describe);
        Run again = bus(env, "auth", "logout");
        assertEquals(0, again.code(), again::describe);
        assertEquals("Signed out: there was no session to revoke; no saved tokens to remove.\n", again.out());
    }

    @Test
    void the_config_root_is_bus_config_dir_else_xdg_config_home_else_home() throws Exception {
        String email = newEmail();
        Path xdg = dir.resolve("xdg");
        Path home = dir.resolve("home");
        Map<String, String> env = new HashMap<>(Map.of("BUS_API_URL", api, "XDG_CONFIG_HOME", xdg.toString(), "HOME", home.toString()));
        bus(env, "auth", "register", "--email", email);
        bus(env, "auth", "login", "--email", email);
        assertEquals(0, bus(env, "auth", "verify", "--email", email, "--otp", log.code(email)).code());
        assertTrue(Files.exists(xdg.resolve("bus/auth/token")));
        env.remove("XDG_CONFIG_HOME");
        bus(env, "auth", "login", "--email", email);
        assertEquals(0, bus(env, "auth", "verify", "--email", email, "--otp", log.code(email)).code());
        assertTrue(Files.exists(home.resolve(".config/bus/auth/token")));
    }

    @Test
    void a_session_file_of_ones_own_and_the_environment_work_as_the_default_does() throws Exception {
        String email = newEmail();
        Map<String, String> env = user(dir.resolve("own"));
        Path file = dir.resolve("my-session");
        bus(env, "auth", "register", "--email", email);
        bus(env, "auth", "login", "--email", email);
        Run verify = bus(env, "auth", "verify", "--email", email, "--otp", log.code(email), "--token-file", file.toString());
        assertEquals(0, verify.code(), verify::describe);
        assertFalse(Files.exists(dir.resolve("own/auth/token")));
        assertEquals(0, bus(env, "auth", "status", "--token-file", file.toString()).code());
        Map<String, String> fromEnv = new HashMap<>(env);
        fromEnv.put("BUS_AUTH_TOKEN", Files.readString(file));
        assertEquals(0, bus(fromEnv, "auth", "status", "--format", "json").code());
    }

    @Test
    void verify_prints_json_without_the_token_and_a_wrong_code_says_how_to_get_a_new_one() throws Exception {
        String email = newEmail();
        Map<String, String> env = user(dir.resolve("json"));
        bus(env, "auth", "register", "--email", email);
        bus(env, "auth", "login", "--email", email);
        String code = log.code(email);
        Run wrong = bus(env, "auth", "verify", "--email", email, "--otp", code.equals("000000") ? "000001" : "000000");
        assertEquals(3, wrong.code(), wrong::describe);
        assertTrue(wrong.err().startsWith("bus: the server did not accept the code (invalid_auth: the one-time code is wrong; 4 tries left"),
                wrong::describe);
        assertTrue(wrong.err().contains("Ask for a new code with: bus auth login --email " + email), wrong::describe);
        Run verify = bus(env, "auth", "verify", "--email", email, "--otp", code, "--format", "json");
        assertEquals(0, verify.code(), verify::describe);
        JsonNode shown = TestServer.mapper().readTree(verify.out());
        assertFalse(shown.has("access_token"));
        assertEquals(dir.resolve("json/auth/token").toString(), shown.get("token_file").asText());
        assertEquals("waitlisted", shown.get("status").asText());
    }

    @Test
    void login_for_an_unregistered_address_and_too_many_logins_are_refused() {
        Map<String, String> env = user(dir.resolve("refused"));
        String email = newEmail();
        Run unknown = bus(env, "auth", "login", "--email", email);
        assertEquals(1, unknown.code(), unknown::describe);
        assertTrue(unknown.err().contains("register it first"), unknown::describe);
        bus(env, "auth", "register", "--email", email);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, bus(env, "auth", "login", "--email", email).code());
        }
        Run limited = bus(env, "auth", "login", "--email", email);
        assertEquals(4, limited.code(), limited::describe);
        assertTrue(limited.err().contains("too many one-time codes") && limited.err().contains("(rate_limited)"), limited::describe);
    }

    @Test
    void scopes_the_deployment_does_not_give_end_users_are_refused_with_exit_3() {
        Map<String, String> env = signedIn(newEmail(), true);
        Run r = bus(env, "auth", "token", "--scope", "usage:delete");
        assertEquals(3, r.code(), r::describe);
        assertTrue(r.err().contains("not available to end users here: usage:delete"), r::describe);
        Run json = bus(env, "auth", "token", "--resources", "llm:proxy", "--ttl", "10m", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        assertTrue(json.out().contains("\"scope\" : \"llm:proxy\""), json::describe);
    }

    // ---- bus billing status -------------------------------------------------------------------

    @Test
    void billing_status_has_json_output_file_and_quiet_forms() throws Exception {
        Map<String, String> env = withBillingToken(newEmail());
        Run json = bus(env, "billing", "status", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        JsonNode status = TestServer.mapper().readTree(json.out());
        assertEquals("missing", status.get("status").asText());
        assertEquals("bus billing setup", status.get("command").asText());
        Path file = dir.resolve("status.txt");
        Run toFile = bus(env, "billing", "status", "--output", file.toString());
        assertEquals(0, toFile.code(), toFile::describe);
        assertEquals("", toFile.out());
        assertTrue(Files.readString(file).contains("Next: bus billing setup"));
        Run quiet = bus(env, "billing", "status", "--quiet");
        assertEquals(new Run(0, "", ""), quiet);
        Run module = bus(env, "billing", "status", "--api-url", api + "/api/v1/billing", "--timeout", "5s");
        assertEquals(0, module.code(), module::describe);
    }

    @Test
    void colour_is_used_only_on_a_terminal_and_never_with_no_color() {
        Map<String, String> env = withBillingToken(newEmail());
        Run terminal = busOn(true, env, "billing", "status");
        assertEquals(0, terminal.code(), terminal::describe);
        assertTrue(terminal.out().contains("\u001B[33mmissing\u001B[0m"), terminal::describe);
        assertTrue(terminal.out().contains("Next: \u001B[1mbus billing setup\u001B[0m"), terminal::describe);
        assertFalse(bus(env, "billing", "status").out().contains("\u001B"), "not a terminal: no colour");
        Map<String, String> noColour = new HashMap<>(env);
        noColour.put("NO_COLOR", "1");
        assertFalse(busOn(true, noColour, "billing", "status").out().contains("\u001B"), "NO_COLOR");
        Path file = dir.resolve("coloured.txt");
        assertEquals(0, busOn(true, env, "billing", "status", "--output", file.toString()).code());
        assertFalse(readQuietly(file).contains("\u001B"), "a file gets no colour");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void an_exhausted_quota_prints_the_quota_item_as_json_and_the_recommended_plan() throws Exception {
        String email = newEmail();
        Map<String, String> env = withBillingToken(email);
        String internal = server.token("ai.hg.fi/internal", "billing:catalog:write billing:subscriptions:write usage:write");
        TestServer.Response catalog = server.send(server.request("/api/internal/billing/catalog")
                .header("Authorization", "Bearer " + internal).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"products":[{"id":"llm","name":"LLM access"}],
                         "meters":[{"name":"bus_llm_tokens","unit":"tokens"}],
                         "plans":[{"id":"llm-basic","name":"LLM Basic","product_id":"llm","features":["llm:proxy"],
                                   "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"total","limit":100,"upgrade_plan_id":"llm-pro"},
                                             {"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":1000000,"upgrade_plan_id":"llm-pro"}]},
                                  {"id":"llm-pro","name":"LLM Pro","product_id":"llm","features":["llm:proxy"],
                                   "quotas":[{"feature":"llm:proxy","meter_event_name":"bus_llm_tokens","window":"month","limit":10000000}]}]}""")).build());
        assertEquals(200, catalog.status(), catalog.body());
        String account = TestServer.mapper().readTree(bus(env, "billing", "status", "--format", "json").out()).get("account_id").asText();
        assertEquals(200, server.post("/api/internal/billing/subscription-updates", internal, """
                {"event_id":"cli-%s","account_id":"%s","provider":"local","status":"active","plan_id":"llm-basic","features":["llm:proxy"]}"""
                .formatted(account, account)).status());
        assertEquals(200, server.post(TestServer.USAGE, internal, """
                {"event_type":"usage_recorded","event_id":"cli-use-%s","account_id":"%s","data":{"total_tokens":120}}"""
                .formatted(account, account)).status());

        Run r = bus(env, "billing", "status");
        assertEquals(0, r.code(), r::describe);
        List<String> lines = r.out().lines().toList();
        assertEquals("Status    active (provider local)", lines.get(1), r::describe);
        assertEquals("Plan      llm-basic", lines.get(2));
        assertEquals("Features  llm:proxy", lines.get(3));
        assertTrue(lines.get(5).matches("  llm:proxy bus_llm_tokens  total  \\[#{20}]  120/100\\s+never resets  EXCEEDED, upgrade: llm-pro"),
                r::describe);
        assertTrue(lines.get(6).matches("  llm:proxy bus_llm_tokens  month  \\[#\\.{19}]  120/1000000\\s+resets \\S+Z"), r::describe);
        int at = lines.indexOf("A quota is exhausted:");
        assertTrue(at > 0, r::describe);
        JsonNode item = TestServer.mapper().readTree(lines.get(at + 1));
        assertEquals("total", item.get("window").asText());
        assertEquals(120, item.get("used").asLong());
        assertEquals(100, item.get("limit").asLong());
        assertTrue(item.get("exceeded").asBoolean());
        assertEquals("llm-pro", item.get("upgrade_plan_id").asText());
        assertEquals("Upgrade: the recommended plan is llm-pro.", lines.get(at + 2));
        assertEquals("Next: bus billing setup", lines.get(at + 3));

        Run coloured = busOn(true, env, "billing", "status");
        assertTrue(coloured.out().contains("\u001B[31m[####################]\u001B[0m"), coloured::describe);
        assertTrue(coloured.out().contains("\u001B[32m[#...................]\u001B[0m"), coloured::describe);
    }

    // ---- every failure path ---------------------------------------------------------------------

    @Test
    void without_a_token_file_billing_status_says_which_token_to_get_and_exits_3() {
        Map<String, String> env = user(dir.resolve("nothing"));
        Run none = bus(env, "billing", "status");
        assertEquals(3, none.code(), none::describe);
        assertEquals("bus: no API token (none saved in " + dir.resolve("nothing/auth/api-token") + ")\nGet a billing token with:\n  "
                + HINT + "\n", none.err());
        assertEquals("", none.out());
        Run missingFile = bus(env, "billing", "status", "--token-file", dir.resolve("nope").toString());
        assertEquals(3, missingFile.code(), missingFile::describe);
        assertTrue(missingFile.err().contains("does not exist") && missingFile.err().contains(HINT), missingFile::describe);
    }

    @Test
    void an_expired_token_is_refused_with_the_token_command_and_exit_3() throws Exception {
        Map<String, String> env = user(dir.resolve("expired"));
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String expired = server.jwt().sign(UUID.randomUUID().toString(), "ai.hg.fi/api", "billing:read billing:setup",
                past.minusSeconds(60), past);
        Path file = Files.writeString(dir.resolve("expired.token"), expired + "\n");
        Run r = bus(env, "billing", "status", "--token-file", file.toString());
        assertEquals(3, r.code(), r::describe);
        assertTrue(r.err().startsWith("bus: the token file " + file + " expired at "), r::describe);
        assertTrue(r.err().endsWith(HINT + "\n"), r::describe);
        assertFalse(r.err().contains(expired));
    }

    @Test
    void a_token_without_the_billing_scope_is_refused_with_the_token_command_and_exit_3() throws Exception {
        Map<String, String> env = user(dir.resolve("scope"));
        String narrow = server.token("ai.hg.fi/api", "llm:proxy");
        Path file = Files.writeString(dir.resolve("narrow.token"), narrow);
        Run local = bus(env, "billing", "status", "--token-file", file.toString());
        assertEquals(3, local.code(), local::describe);
        assertTrue(local.err().contains("lacks the scope billing:read"), local::describe);
        assertTrue(local.err().endsWith(HINT + "\n"), local::describe);

        String wrongAudience = server.token("ai.hg.fi/internal", "billing:read billing:setup");
        Map<String, String> fromEnv = new HashMap<>(env);
        fromEnv.put("BUS_API_TOKEN", wrongAudience);
        Run server403 = bus(fromEnv, "billing", "status");
        assertEquals(3, server403.code(), server403::describe);
        assertTrue(server403.err().contains("forbidden: token audience does not allow this route"), server403::describe);
        assertTrue(server403.err().endsWith(HINT + "\n"), server403::describe);

        fromEnv.put("BUS_API_TOKEN", BAD_SIGNATURE);
        Run bad = bus(fromEnv, "billing", "status");
        assertEquals(3, bad.code(), bad::describe);
        assertTrue(bad.err().contains("invalid_auth") && bad.err().endsWith(HINT + "\n"), bad::describe);
        assertFalse(bad.err().contains(BAD_SIGNATURE));
    }

    @Test
    void a_server_that_is_down_is_exit_1_naming_the_url() throws Exception {
        Map<String, String> env = withBillingToken(newEmail());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run r = bus(env, "billing", "status", "--api-url", "http://127.0.0.1:" + port);
        assertEquals(1, r.code(), r::describe);
        assertEquals("bus: cannot connect to http://127.0.0.1:" + port + "/api/v1/billing/status: connection refused; "
                + "is the server running there? (--api-url, BUS_API_URL)\n", r.err());
        Run auth = bus(env, "auth", "login", "--email", "a@example.com", "--api-url", "http://127.0.0.1:" + port);
        assertEquals(1, auth.code(), auth::describe);
    }

    @Test
    void a_server_that_does_not_answer_in_time_is_exit_1() throws Exception {
        Map<String, String> env = withBillingToken(newEmail());
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread accepter = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (java.io.IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            accepter.start();
            Run r = bus(env, "billing", "status", "--api-url", "http://127.0.0.1:" + silent.getLocalPort(), "--timeout", "500ms");
            assertEquals(1, r.code(), r::describe);
            assertEquals("bus: no answer from http://127.0.0.1:" + silent.getLocalPort() + "/api/v1/billing/status within 500ms (--timeout)\n",
                    r.err());
        }
    }

    @Test
    void output_to_a_place_that_cannot_be_written_is_exit_1() {
        Map<String, String> env = withBillingToken(newEmail());
        Run missingDir = bus(env, "billing", "status", "--output", dir.resolve("no/such/dir/status.txt").toString());
        assertEquals(1, missingDir.code(), missingDir::describe);
        assertEquals("bus: cannot write " + dir.resolve("no/such/dir/status.txt") + " (--output): no such directory\n", missingDir.err());
        Run directory = bus(env, "billing", "status", "--output", dir.toString());
        assertEquals(1, directory.code(), directory::describe);
        assertTrue(directory.err().startsWith("bus: cannot write " + dir + " (--output): "), directory::describe);
        Run token = bus(env, "auth", "token", "--scope", "billing:read", "--output", dir.resolve("no/dir/t").toString());
        assertEquals(1, token.code(), token::describe);
        assertEquals("", token.out());
    }

    @Test
    void unknown_options_and_bad_values_are_usage_errors_with_exit_2() {
        Map<String, String> env = user(dir.resolve("usage"));
        for (String[] args : List.of(
                new String[]{"billing", "status", "--verbose"},
                new String[]{"billing", "status", "--format", "yaml"},
                new String[]{"billing", "status", "--timeout", "soon"},
                new String[]{"billing", "status", "--api-url", "ftp://x"},
                new String[]{"billing", "frobnicate"},
                new String[]{"billing"},
                new String[]{"auth"},
                new String[]{"auth", "register"},
                new String[]{"auth", "register", "--email", "not-an-address"},
                new String[]{"auth", "verify", "--email", "a@example.com", "--otp", "12ab56"},
                new String[]{"auth", "verify", "--email", "a@example.com"},
                new String[]{"auth", "token"},
                new String[]{"auth", "token", "--scope", "a;b"},
                new String[]{"auth", "token", "--scope", "billing:read", "--ttl", "90d"})) {
            Run r = bus(env, args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
            assertTrue(r.err().startsWith("bus: "), r::describe);
            assertEquals("", r.out());
        }
        Run unknown = bus(env, "billing", "status", "--verbose");
        assertEquals("bus: Unknown option: '--verbose'\nTry 'bus billing status --help' for more information.\n", unknown.err());
    }

    @Test
    void help_and_version_work_on_every_new_command() {
        for (String[] args : List.of(new String[]{"auth"}, new String[]{"auth", "token"}, new String[]{"billing"},
                new String[]{"billing", "status"}, new String[]{"operator", "auth", "approve"})) {
            List<String> help = new ArrayList<>(List.of(args));
            help.add("--help");
            Run h = bus(Map.of(), help.toArray(String[]::new));
            assertEquals(0, h.code(), h::describe);
            assertTrue(h.out().startsWith("Usage: bus " + String.join(" ", args)), () -> help + "\n" + h.describe());
            List<String> version = new ArrayList<>(List.of(args));
            version.add("--version");
            Run v = bus(Map.of(), version.toArray(String[]::new));
            assertEquals(0, v.code(), v::describe);
            assertTrue(v.out().startsWith("bus "), () -> version + "\n" + v.describe());
        }
    }

    // ---- tokens are never arguments, never shown ------------------------------------------------

    @Test
    void a_token_is_never_taken_from_the_command_line_nor_repeated_in_messages() {
        Map<String, String> env = user(dir.resolve("arguments"));
        String token = server.token("ai.hg.fi/api", "billing:read billing:setup");
        for (String[] args : List.of(
                new String[]{"billing", "status", "--token", token},
                new String[]{"billing", "status", "--token=" + token},
                new String[]{"billing", "status", "--bearer", token},
                new String[]{"billing", "status", token},
                new String[]{"auth", "status", "--session", token},
                new String[]{"auth", "token", "--scope", "billing:read", token},
                new String[]{"operator", "auth", "waitlist", "--token", token})) {
            Run r = bus(env, args);
            assertEquals(2, r.code(), r::describe);
            assertFalse(r.out().contains(token) || r.err().contains(token), "the token is repeated: " + r.describe());
            assertFalse(r.err().contains(token.substring(token.lastIndexOf('.') + 1)), r::describe);
        }
        Run asFile = bus(env, "billing", "status", "--token-file", token);
        assertEquals(3, asFile.code(), asFile::describe);
        assertFalse(asFile.err().contains(token), "a token given where a file belongs is not repeated: " + asFile.describe());
        assertTrue(asFile.err().contains("[redacted]"), asFile::describe);
    }
}
