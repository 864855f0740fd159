package fi.hg.bus.adapters.cli;

import fi.hg.bus.adapters.cli.operator.LocalTokenSigner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Cli#forArgs} builds only the branch the arguments name (a short command starts faster);
 * whatever the arguments, it must answer exactly as the whole tree does.
 */
class CliBranchTest {

    private static final LocalTokenSigner NO_SIGNER = (file, subject, audience, scope, ttl) -> {
        throw CommandFailed.credentials("no secret in this test");
    };

    /** A command the composition root adds, as {@code serve} is; counts how often it is made. */
    @CommandLine.Command(name = "extra", description = "An added command.")
    static final class Extra implements Runnable {
        static int made;

        Extra() {
            made++;
        }

        @Override
        public void run() {
        }
    }

    record Answer(int code, String out, String err) {
    }

    private static Answer run(boolean branchOnly, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("BUS_CONFIG_DIR", Path.of("target", "no-such-config").toAbsolutePath().toString(),
                "BUS_API_URL", "http://127.0.0.1:9");
        Supplier<Object> extra = Extra::new;
        Map<String, Object> extras = Map.of("extra", extra);
        Cli cli = branchOnly
                ? Cli.forArgs(NO_SIGNER, env, extras, new PrintWriter(out), new PrintWriter(err), false, args)
                : Cli.create(NO_SIGNER, env, extras, new PrintWriter(out), new PrintWriter(err));
        int code = cli.run(args);
        return new Answer(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandLineAnswersAsTheWholeTreeDoes() {
        List<String[]> lines = List.of(
                new String[]{}, new String[]{"--version"}, new String[]{"-V"}, new String[]{"--help"}, new String[]{"-h"},
                new String[]{"-hV"}, new String[]{"--version", "--help"}, new String[]{"--bogus"},
                new String[]{"billing"}, new String[]{"billing", "--help"}, new String[]{"billing", "status"},
                new String[]{"billing", "status", "--format", "json"}, new String[]{"billing", "status", "--bogus"},
                new String[]{"billing", "nope"}, new String[]{"--version", "billing", "status"},
                new String[]{"--help", "billing"}, new String[]{"billng", "status"}, new String[]{"operator"},
                new String[]{"operator", "token", "issue", "--help"}, new String[]{"operator", "billing", "catalog", "template"},
                new String[]{"keys", "--help"}, new String[]{"auth", "status"}, new String[]{"extra"},
                new String[]{"extra", "--help"}, new String[]{"shell", "--help"}, new String[]{"run", "--help"},
                new String[]{"no-such.bus"}, new String[]{"operator stripe"});
        for (String[] args : lines) {
            assertEquals(run(false, args), run(true, args), "bus " + String.join(" ", args));
        }
    }

    @Test
    void onlyTheNamedBranchIsBuilt() {
        assertEquals(Set.of(), topLevel("--version"));
        assertEquals(Set.of(), topLevel("-V"));
        assertEquals(Set.of("billing"), topLevel("billing", "status"));
        assertEquals(Set.of("operator"), topLevel("operator", "token", "issue"));
        assertEquals(Set.of("run"), topLevel("script.bus"));
        assertEquals(Set.of("auth", "billing", "extra", "keys", "operator", "run", "shell"), topLevel("--help"));
        assertEquals(Set.of("auth", "billing", "extra", "keys", "operator", "run", "shell"), topLevel("unknown"));
        assertEquals(Set.of("auth", "billing", "extra", "keys", "operator", "run", "shell"), topLevel());
    }

    @Test
    void anAddedCommandIsMadeOnlyWhenItsBranchIsWanted() {
        int before = Extra.made;
        run(true, "billing", "status");
        run(true, "--version");
        assertEquals(before, Extra.made);
        run(true, "extra");
        assertEquals(before + 1, Extra.made);
    }

    private static Set<String> topLevel(String... args) {
        Cli cli = Cli.forArgs(NO_SIGNER, Map.of(), Map.of("extra", (Supplier<Object>) Extra::new),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, args);
        return new TreeSet<>(cli.commandLine().getSubcommands().keySet());
    }
}
