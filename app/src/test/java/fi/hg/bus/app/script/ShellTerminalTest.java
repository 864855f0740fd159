package fi.hg.bus.app.script;

import fi.hg.bus.app.e2e.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bus shell} on a real pseudo-terminal: tmux runs it (as a process of its own, through a
 * launcher jar of this build) against a real server; the test types with {@code send-keys} and
 * reads the screen with {@code capture-pane}. tmux runs on a socket of this test's own, so no other
 * tmux session is touched. CI installs tmux when it is missing (.ci/run).
 */
class ShellTerminalTest {

    private static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";

    private static TestServer server;
    private static String token;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private Path socket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = server.token(TestServer.INTERNAL, SCOPES);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopTmux() throws Exception {
        if (socket != null) {
            tmux("kill-server");
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm-256color");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("tmux is needed for this test (apt-get install tmux; .ci/run installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux did not answer");
        }
        return out;
    }

    /** Starts {@code bus shell} in a fresh tmux window of 160×50 with its config root in {@code config}. */
    private void startShell(Path config) throws Exception {
        if (socket == null) {
            socket = dir.resolve("tmux.sock");
        }
        Path jar = BusRuns.launcherJar(shared);
        Path script = dir.resolve("start-shell.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "export BUS_CONFIG_DIR='" + config + "' BUS_API_URL='http://127.0.0.1:" + server.port() + "'\n"
                + "export BUS_OPERATOR_TOKEN='" + token + "' TARGET='" + dir + "'\n"
                + "cd '" + dir + "'\n"
                // Ctrl-C reaches the whole foreground group: this sh must outlive it to report the exit code
                + "trap 'true' INT\n"
                + "'" + BusRuns.javaHome().resolve("bin/java") + "' -jar '" + jar + "' shell\n"
                + "echo \"SHELL-ENDED-$?\"\nsleep 600\n");
        tmux("new-session", "-d", "-s", "bus", "-x", "160", "-y", "50", "sh " + script);
        screenShows(s -> s.contains("bus> "), "the prompt");
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "bus"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Types {@code text} literally (no key names). */
    private void type(String text) throws Exception {
        tmux("send-keys", "-t", "bus", "-l", "--", text);
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", "bus", "-S", "-200");
    }

    private String screenShows(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed " + what + ":\n" + s);
    }

    /** The screen's last line that is not blank: the prompt and what is typed on it. */
    private static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast().stripTrailing();
    }

    @Test
    void tab_completes_commands_subcommands_and_options_from_the_command_definitions() throws Exception {
        startShell(dir.resolve("config"));
        type("oper");
        keys("Tab");
        screenShows(s -> lastLine(s).equals("bus> operator"), "operator completed");
        type("bil");             // the completion added a space
        keys("Tab");
        screenShows(s -> lastLine(s).equals("bus> operator billing"), "billing completed");
        type("status --acc");
        keys("Tab");
        screenShows(s -> lastLine(s).equals("bus> operator billing status --account"), "--account completed");
        String account = UUID.randomUUID().toString();
        type(account + " --for");
        keys("Tab");
        screenShows(s -> lastLine(s).endsWith(account + " --format"), "--format completed");
        type("js");
        keys("Tab");
        screenShows(s -> lastLine(s).endsWith("--format json"), "json completed");
        keys("Enter");
        String s = screenShows(x -> x.contains("\"account_id\" : \"" + account + "\"") && lastLine(x).equals("bus>"), "the status");
        assertTrue(s.contains("\"status\" : \"missing\""), s);
    }

    @Test
    void errors_are_printed_and_the_session_goes_on() throws Exception {
        startShell(dir.resolve("config"));
        type("frobnicate --now");
        keys("Enter");
        screenShows(s -> s.contains("bus: unknown command 'frobnicate'") && lastLine(s).equals("bus [127]>"), "exit 127");
        type("operator billing status --account not-a-uuid");
        keys("Enter");
        screenShows(s -> s.contains("bus: --account must be an account id") && lastLine(s).equals("bus [2]>"), "exit 2");
        type("operator billing status --account 'open");
        keys("Enter");
        screenShows(s -> s.contains("bus: unterminated single quote") && lastLine(s).equals("bus [65]>"), "exit 65");
        type("operator billing status --account ${NO_SUCH_VARIABLE}");
        keys("Enter");
        screenShows(s -> s.contains("bus: NO_SUCH_VARIABLE is not set") && lastLine(s).equals("bus [65]>"), "unset name");
        type("operator billing catalog template --output ${TARGET}/catalog.json");
        keys("Enter");
        screenShows(s -> lastLine(s).equals("bus>"), "success after errors");
        assertTrue(Files.readString(dir.resolve("catalog.json")).contains("llm-basic"));
        type("operator billing catalog put --file catalog.json");
        keys("Enter");
        screenShows(s -> s.contains("Stored catalog version"), "the catalog stored");
        type("help");
        keys("Enter");
        screenShows(s -> s.contains("Commands (type them without 'bus'") && s.contains("  operator "), "help");
        type("help operator billing status");
        keys("Enter");
        screenShows(s -> s.contains("Usage: bus operator billing status"), "a command's help");
    }

    @Test
    void a_trailing_backslash_continues_the_line_and_flag_lines_stay_for_the_session() throws Exception {
        startShell(dir.resolve("config"));
        type("--format json");
        keys("Enter");
        type("operator billing \\");
        keys("Enter");
        screenShows(s -> lastLine(s).equals(">") || lastLine(s).endsWith(" >"), "the continuation prompt");
        type("catalog get");
        keys("Enter");
        screenShows(s -> s.contains("\"plans\"") && lastLine(s).equals("bus>"), "the catalog as JSON");
    }

    @Test
    void ctrl_c_drops_the_line_being_typed_and_ctrl_d_leaves() throws Exception {
        startShell(dir.resolve("config"));
        type("operator billing catalog template --output ${TARGET}/dropped.json");
        keys("C-c");
        screenShows(s -> lastLine(s).equals("bus>"), "a fresh prompt");
        keys("Enter");
        Thread.sleep(500);
        assertFalse(Files.exists(dir.resolve("dropped.json")), "the dropped line did not run");
        keys("C-d");
        screenShows(s -> s.contains("SHELL-ENDED-0"), "the shell ended with 0");
    }

    @Test
    void ctrl_c_stops_a_command_waiting_for_a_server_and_the_session_goes_on() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            startShell(dir.resolve("config"));
            type("operator billing catalog get --timeout 5m --api-url http://127.0.0.1:" + silent.getLocalPort());
            keys("Enter");
            try (java.net.Socket waiting = silent.accept()) {    // the command is now waiting for an answer
                keys("C-c");
                screenShows(s -> s.contains("bus: interrupted while waiting for http://127.0.0.1:" + silent.getLocalPort())
                        && lastLine(s).equals("bus [1]>"), "the command stopped");
            }
            type("operator billing catalog get --format json");
            keys("Enter");
            screenShows(s -> s.contains("\"plans\"") && lastLine(s).equals("bus>"), "the next command ran");
        }
    }

    @Test
    void history_is_kept_in_the_config_root_across_sessions() throws Exception {
        Path config = dir.resolve("config");
        startShell(config);
        type("operator billing catalog template --quiet");
        keys("Enter");
        screenShows(s -> lastLine(s).equals("bus>"), "the command done");
        type("exit");
        keys("Enter");
        screenShows(s -> s.contains("SHELL-ENDED-0"), "exit");
        Path history = config.resolve("shell-history");
        assertTrue(Files.readString(history).contains("operator billing catalog template --quiet"), Files.readString(history));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));

        tmux("kill-server");
        startShell(config);
        keys("Up", "Up");
        screenShows(s -> lastLine(s).equals("bus> operator billing catalog template --quiet"), "the earlier command from history");
    }
}
