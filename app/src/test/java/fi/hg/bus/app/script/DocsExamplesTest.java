package fi.hg.bus.app.script;

import fi.hg.bus.app.script.BusRuns.Result;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guide's examples (docs/examples/*.bus) pass {@code bus run --check} and appear in
 * docs/scripts.md exactly as they are; ExecutableScriptsTest runs them against a server.
 */
class DocsExamplesTest {

    private static final Path EXAMPLES = BusRuns.ROOT.resolve("docs/examples");
    private static final Map<String, String> ENV = Map.of("ACCOUNT", "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".bus")).sorted().toList();
            assertFalse(list.isEmpty(), "examples exist");
            return list;
        }
    }

    @Test
    void every_example_passes_the_preflight() throws IOException {
        for (Path example : examples()) {
            Result r = BusRuns.main(ENV, "run", "--check", example.toString());
            assertEquals(0, r.code(), () -> example + "\n" + r.describe());
            assertEquals("", r.out());
            // nightly.bus turns --trace on: with --check that shows what would run, and nothing else
            assertTrue(r.err().lines().allMatch(l -> l.matches(".*\\.bus:\\d+: bus .*")), r::describe);
        }
    }

    @Test
    void every_example_is_shown_in_the_guide_as_it_is() throws IOException {
        String guide = Files.readString(BusRuns.ROOT.resolve("docs/scripts.md"));
        for (Path example : examples()) {
            String text = Files.readString(example);
            assertTrue(guide.contains("```sh\n" + text + "```\n"), example + " is in docs/scripts.md verbatim");
            assertTrue(guide.contains("(examples/" + example.getFileName() + ")"), example + " is linked from docs/scripts.md");
        }
    }

    /** The error on a continued line names the physical line it is on (7), not where the command starts (6). */
    @Test
    void the_account_example_stops_before_anything_runs_when_account_is_unset() {
        Path nightly = EXAMPLES.resolve("nightly.bus");
        Result r = BusRuns.main(Map.of(), "run", nightly.toString());
        assertEquals(65, r.code(), r::describe);
        assertEquals(EXAMPLES.resolve("account-status.bus") + ":3: ACCOUNT is not set; set it in the environment, or write "
                + "${ACCOUNT:-default}\n" + EXAMPLES.resolve("account-status.bus") + ":7: ACCOUNT is not set; set it in the "
                + "environment, or write ${ACCOUNT:-default}\nbus: 2 errors; nothing was run\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void the_check_with_trace_shows_what_the_nightly_example_would_run() {
        Path nightly = EXAMPLES.resolve("nightly.bus");
        Result r = BusRuns.main(Map.of("ACCOUNT", "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "REPORT_DIR", "/reports"),
                "run", "--check", "--trace", nightly.toString());
        assertEquals(0, r.code(), r::describe);
        assertEquals(List.of(nightly + ":7: bus operator billing catalog get --format json --output /reports/catalog.json",
                EXAMPLES.resolve("account-status.bus") + ":3: bus operator billing status --account 6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                EXAMPLES.resolve("account-status.bus") + ":6: bus operator billing status --account "
                        + "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b --format json"), r.err().lines().toList());
    }
}
