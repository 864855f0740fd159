package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus keys create|list|revoke} run in-process through {@link Main#run} against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysCliTest {

    private TestServer server;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result bus(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Env(env), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A configuration directory whose auth/api-token holds a token of a new account with {@code scope}. */
    private Path configDir(String scope) throws IOException {
        Path config = Files.createTempDirectory(dir, "config");
        Path token = config.resolve("auth").resolve("api-token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, KeysWorld.user(server, UUID.randomUUID(), scope) + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        return config;
    }

    private Map<String, String> env(Path config) {
        return Map.of("BUS_API_URL", "http://127.0.0.1:" + server.port(), "BUS_CONFIG_DIR", config.toString());
    }

    @Test
    void create_prints_the_key_once_and_list_and_revoke_show_it_without_the_secret() throws IOException {
        Map<String, String> env = env(configDir("keys:read keys:write"));

        Result created = bus(env, "keys", "create", "--name", "ci", "--quota-limit", "1000", "--expires-in", "30d");
        assertEquals(0, created.code(), created::describe);
        String secret = created.out().strip();
        assertTrue(secret.matches("sk-[A-Za-z0-9]{48}"), created::describe);
        assertEquals(secret + System.lineSeparator(), created.out(), "stdout holds the key alone");
        assertTrue(created.err().contains("Created key \"ci\""), created::describe);
        assertTrue(created.err().contains("1000 bus_llm_tokens") && created.err().contains("not shown again"), created::describe);

        assertEquals(200, KeysWorld.dashboard(server, KeysWorld.SUBSCRIPTION, secret).status(), "the printed key works");

        Result list = bus(env, "keys", "list");
        assertEquals(0, list.code(), list::describe);
        assertFalse(list.out().contains(secret.substring(11)), "no secret in the list");
        String[] lines = list.out().strip().split("\\R");
        assertEquals(2, lines.length, list::describe);
        assertTrue(lines[0].matches("ID +NAME +PREFIX +STATUS +USED +EXPIRES"), lines[0]);
        assertTrue(lines[1].contains(" ci ") && lines[1].contains(secret.substring(0, 11)) && lines[1].contains("active")
                && lines[1].contains("0 / 1000 bus_llm_tokens"), lines[1]);

        Result json = bus(env, "keys", "list", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        JsonNode key = TestServer.mapper().readTree(json.out()).path("keys").get(0);
        assertEquals("ci", key.path("name").asText());
        String id = key.path("id").asText();

        Result revoked = bus(env, "keys", "revoke", id);
        assertEquals(0, revoked.code(), revoked::describe);
        assertTrue(revoked.out().startsWith("Revoked key \"ci\""), revoked::describe);
        KeysWorld.dashboard(server, KeysWorld.SUBSCRIPTION, secret).assertError(401, "buzz_error");
        assertTrue(bus(env, "keys", "list").out().contains("revoked"));

        Result unknown = bus(env, "keys", "revoke", UUID.randomUUID().toString());
        assertEquals(1, unknown.code(), unknown::describe);
        assertTrue(unknown.err().contains("not_found"), unknown::describe);
    }

    @Test
    void output_writes_the_key_to_a_file_only_its_owner_may_read() throws IOException {
        Map<String, String> env = env(configDir("keys:write"));
        Path file = dir.resolve("key.txt");
        Files.writeString(file, "old");
        Result r = bus(env, "keys", "create", "--name", "file", "--unlimited", "--output", file.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals("", r.out());
        assertTrue(Files.readString(file).strip().matches("sk-[A-Za-z0-9]{48}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Result json = bus(env, "keys", "create", "--name", "j", "--format", "json");
        assertEquals(0, json.code(), json::describe);
        assertTrue(TestServer.mapper().readTree(json.out()).path("key").asText().startsWith("sk-"));

        Result quiet = bus(env, "keys", "create", "--name", "lost", "--quiet");
        assertEquals(2, quiet.code(), quiet::describe);
        assertTrue(quiet.err().contains("--output FILE"), quiet::describe);
    }

    @Test
    void the_token_comes_from_the_config_directory_in_the_documented_order_or_token_file() throws IOException {
        Path config = configDir("keys:read");
        String api = "http://127.0.0.1:" + server.port();
        Path xdg = config.getParent().resolve("xdg");
        Files.createDirectories(xdg);
        Files.move(config, xdg.resolve("bus"));
        assertEquals(0, bus(Map.of("BUS_API_URL", api, "XDG_CONFIG_HOME", xdg.toString()), "keys", "list").code());

        Path home = config.getParent().resolve("home");
        Files.createDirectories(home.resolve(".config"));
        Files.move(xdg.resolve("bus"), home.resolve(".config").resolve("bus"));
        assertEquals(0, bus(Map.of("BUS_API_URL", api, "HOME", home.toString()), "keys", "list").code());

        Path tokenFile = home.resolve(".config/bus/auth/api-token");
        Result viaFile = bus(Map.of("BUS_API_URL", api, "BUS_CONFIG_DIR", dir.resolve("empty").toString()),
                "keys", "list", "--token-file", tokenFile.toString());
        assertEquals(0, viaFile.code(), viaFile::describe);
    }

    @Test
    void missing_or_unfit_credentials_exit_3_with_the_command_that_gets_a_token() throws IOException {
        String api = "http://127.0.0.1:" + server.port();
        Result none = bus(Map.of("BUS_API_URL", api, "BUS_CONFIG_DIR", dir.resolve("nothing").toString()), "keys", "list");
        assertEquals(3, none.code(), none::describe);
        assertTrue(none.err().contains("bus auth token --scope \"keys:read keys:write\""), none::describe);

        Result readOnly = bus(env(configDir("keys:read")), "keys", "create", "--name", "x");
        assertEquals(3, readOnly.code(), readOnly::describe);
        assertTrue(readOnly.err().contains("forbidden"), readOnly::describe);

        Path garbage = Files.writeString(dir.resolve("garbage"), "not a token at all\n");
        Result bad = bus(Map.of("BUS_API_URL", api), "keys", "list", "--token-file", garbage.toString());
        assertEquals(3, bad.code(), bad::describe);

        Path empty = Files.writeString(dir.resolve("empty-token"), "");
        assertEquals(3, bus(Map.of("BUS_API_URL", api), "keys", "list", "--token-file", empty.toString()).code());
    }

    @Test
    void usage_errors_exit_2_before_anything_is_sent() throws IOException {
        Map<String, String> env = new HashMap<>(env(configDir("keys:read keys:write")));
        String[][] cases = {
                {"keys"},
                {"keys", "create"},
                {"keys", "create", "--name", "x", "--quota-limit", "0"},
                {"keys", "create", "--name", "x", "--quota-limit", "ten"},
                {"keys", "create", "--name", "x", "--quota-limit", "5", "--unlimited"},
                {"keys", "create", "--name", "x", "--expires-at", "tomorrow"},
                {"keys", "create", "--name", "x", "--expires-in", "soon"},
                {"keys", "create", "--name", "x", "--expires-in", "1d", "--expires-at", "2099-01-01T00:00:00Z"},
                {"keys", "revoke"},
                {"keys", "revoke", "sk-abc"},
                {"keys", "list", "--format", "xml"},
                {"keys", "list", "--timeout", "0s"}};
        for (String[] args : cases) {
            Result r = bus(env, args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.describe());
        }
        assertEquals(0, bus(env, "keys", "list", "--format", "json").out().split("\"name\"").length - 1,
                "nothing was made by the refused commands");
    }

    @Test
    void a_name_the_server_refuses_is_reported_and_exits_1() throws IOException {
        Result r = bus(env(configDir("keys:write")), "keys", "create", "--name", "x".repeat(101));
        assertEquals(1, r.code(), r::describe);
        assertTrue(r.err().contains("name: must be at most 100 characters"), r::describe);
    }
}
