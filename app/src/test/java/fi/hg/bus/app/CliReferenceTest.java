package fi.hg.bus.app;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.serve.ServeCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/cli-reference.md is the help of every command as the command definitions render it. This
 * test renders it again and fails when the page differs, saying how to regenerate it; with
 * {@code BUS_REGENERATE_DOCS=1} in the environment it writes the page instead.
 */
class CliReferenceTest {

    static final String REGENERATE = "BUS_REGENERATE_DOCS=1 ./mvnw -q -B test -pl app -am -Dtest=CliReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false";
    private static final int WIDTH = 100;

    private static Path page() {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(here.resolve("docs")) ? here : here.getParent();
        return root.resolve("docs").resolve("cli-reference.md");
    }

    /** The page as the command definitions make it. */
    static String render() {
        Env env = new Env(Map.of());
        CommandLine root = Cli.create(new LocalSigner(env, Clock.systemUTC()), env.values(),
                Map.of("serve", new ServeCommand(env)), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .commandLine();
        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands);
        StringBuilder b = new StringBuilder();
        b.append("# CLI reference\n\n")
                .append("The help of every `bus` command, as `bus … --help` prints it. This page is generated from the\n")
                .append("command definitions (`app/src/test/java/fi/hg/bus/app/CliReferenceTest.java` fails when it\n")
                .append("differs from them); do not edit it by hand. Regenerate it with:\n\n")
                .append("```sh\n").append(REGENERATE).append("\n```\n\n")
                .append("Conventions, exit codes and examples are in [the command line](cli.md); the account flow in\n")
                .append("[accounts](accounts.md).\n\n");
        for (CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName();
            b.append("- [`").append(name).append("`](#").append(anchor(name)).append(")\n");
        }
        for (CommandLine c : commands) {
            c.setUsageHelpWidth(WIDTH);
            b.append("\n## ").append(c.getCommandSpec().qualifiedName()).append("\n\n```text\n")
                    .append(c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        }
        return b.toString();
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(c -> collect(c, into));
    }

    /** GitHub's heading anchors: lower case, spaces to hyphens, other punctuation dropped. */
    private static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replace(' ', '-').replaceAll("[^a-z0-9_-]", "");
    }

    @Test
    void the_cli_reference_page_is_what_the_command_definitions_render() throws IOException {
        String rendered = render();
        Path page = page();
        if ("1".equals(System.getenv("BUS_REGENERATE_DOCS"))) {
            Files.writeString(page, rendered, StandardCharsets.UTF_8);
        }
        String committed = Files.isRegularFile(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        assertEquals(rendered, committed, page + " differs from the command definitions; regenerate it with:\n  " + REGENERATE);
    }

    @Test
    void every_command_is_on_the_page_with_its_options() {
        String rendered = render();
        for (String command : List.of("bus auth register", "bus auth login", "bus auth verify", "bus auth status",
                "bus auth token", "bus auth logout", "bus billing status", "bus operator token issue",
                "bus operator auth waitlist", "bus operator auth approve", "bus operator auth reject", "bus serve")) {
            assertTrue(rendered.contains("\n## " + command + "\n"), command);
        }
        for (String option : List.of("--api-url", "--token-file", "--timeout", "--output", "--quiet", "--format",
                "--internal-key-file", "--otp", "--scope, --resources")) {
            assertTrue(rendered.contains(option), option);
        }
    }
}
