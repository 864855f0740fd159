package fi.hg.bus.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the curl, Python and JavaScript examples of docs/keys-and-dashboard.md, as written there
 * (only the port changes), against a real server, and checks that they print what the page says.
 */
class DocsExamplesTest {

    private static final Path PAGE = Path.of("..", "docs", "keys-and-dashboard.md");
    private static final Pattern BLOCK = Pattern.compile("```(sh|python|js)\\n(.*?)```", Pattern.DOTALL);
    private static final String DOC_ORIGIN = "http://127.0.0.1:8080";
    private static final String SUBSCRIPTION = "{\"object\":\"billing_subscription\",\"has_payment_method\":true,"
            + "\"soft_limit_usd\":2,\"hard_limit_usd\":2,\"system_hard_limit_usd\":2,\"access_until\":4070908800}";
    private static final String USAGE = "{\"object\":\"list\",\"total_usage\":50}";

    @TempDir
    Path dir;

    record Example(String language, String code) {
    }

    record Run(int code, String out, String err) {
    }

    private static List<Example> examples(String page) {
        List<Example> list = new ArrayList<>();
        Matcher m = BLOCK.matcher(page);
        while (m.find()) {
            list.add(new Example(m.group(1), m.group(2)));
        }
        return list;
    }

    private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean works(List<String> probe) {
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void the_examples_of_the_page_work_against_this_project_and_print_what_it_says() throws Exception {
        String page = Files.readString(PAGE);
        assertTrue(page.contains(SUBSCRIPTION) && page.contains(USAGE) && page.contains("`used: 0.50`")
                && page.contains("`2 4070908800`"), "the page states the outputs this test checks");
        List<Example> examples = examples(page);
        List<Example> curl = examples.stream().filter(e -> e.language().equals("sh") && e.code().contains("curl ")).toList();
        List<Example> python = examples.stream().filter(e -> e.language().equals("python")).toList();
        List<Example> js = examples.stream().filter(e -> e.language().equals("js")).toList();
        assertEquals(5, curl.size(), "make, list, revoke, subscription, usage");
        assertEquals(2, python.size());
        assertEquals(2, js.size());

        try (TestServer server = TestServer.start()) {
            String origin = "http://127.0.0.1:" + server.port();
            UUID account = UUID.fromString("00000000-0000-4000-8000-000000000001");
            Files.createDirectories(dir.resolve("local"));
            Files.writeString(dir.resolve("local").resolve("api.token"), KeysWorld.user(server, account, "keys:read keys:write"));

            Run made = run(List.of("sh", "-c", curl.get(0).code().replace(DOC_ORIGIN, origin)), Map.of());
            assertEquals(0, made.code(), made.err());
            JsonNode key = TestServer.mapper().readTree(made.out());
            String secret = key.path("key").asText();
            assertTrue(secret.matches("sk-[A-Za-z0-9]{48}"), made.out());
            assertEquals(1000000, key.path("quota_limit").asLong());
            KeysWorld.use(server, account, key.path("id").asText(), 250_000);
            String throwaway = KeysWorld.create(server, account, "{\"name\":\"throwaway\"}").path("id").asText();

            Map<String, String> env = Map.of("BUZZ_TOKEN", secret.substring(3), "KEY_ID", throwaway);
            Run listed = run(List.of("sh", "-c", curl.get(1).code().replace(DOC_ORIGIN, origin)), env);
            assertEquals(0, listed.code(), listed.err());
            assertEquals(2, TestServer.mapper().readTree(listed.out()).path("keys").size());
            assertFalse(listed.out().contains(secret.substring(11)));
            Run revoked = run(List.of("sh", "-c", curl.get(2).code().replace(DOC_ORIGIN, origin)), env);
            assertEquals(0, revoked.code(), revoked.err());
            assertEquals("revoked", TestServer.mapper().readTree(revoked.out()).path("status").asText());

            Run subscription = run(List.of("sh", "-c", curl.get(3).code().replace(DOC_ORIGIN, origin)), env);
            assertEquals(0, subscription.code(), subscription.err());
            assertEquals(SUBSCRIPTION, subscription.out());
            Run usage = run(List.of("sh", "-c", curl.get(4).code().replace(DOC_ORIGIN, origin)), env);
            assertEquals(0, usage.code(), usage.err());
            assertEquals(USAGE, usage.out());

            boolean pythonWorks = works(List.of("python3", "-c", "import requests"));
            boolean nodeWorks = works(List.of("node", "-e", "if (typeof fetch !== 'function') process.exit(1)"));
            if (pythonWorks) {
                for (int i = 0; i < 2; i++) {
                    Path script = Files.writeString(dir.resolve("check" + i + ".py"), python.get(i).code().replace(DOC_ORIGIN, origin));
                    Run r = run(List.of("python3", script.toString()), env);
                    assertEquals(0, r.code(), r.err());
                    assertEquals(i == 0 ? "2 4070908800\n" : "used: 0.50\n", r.out());
                }
            }
            if (nodeWorks) {
                for (int i = 0; i < 2; i++) {
                    Path script = Files.writeString(dir.resolve("check" + i + ".mjs"), js.get(i).code().replace(DOC_ORIGIN, origin));
                    Run r = run(List.of("node", script.toString()), env);
                    assertEquals(0, r.code(), r.err());
                    assertEquals(i == 0 ? "2 4070908800\n" : "used: 0.50\n", r.out());
                }
            }
            Assumptions.assumeTrue(pythonWorks && nodeWorks,
                    "python3 with requests, or node 18+, is not installed: only the curl examples were run");
        }
    }
}
