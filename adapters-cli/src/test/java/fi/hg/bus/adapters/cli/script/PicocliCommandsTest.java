package fi.hg.bus.adapters.cli.script;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.script.run.Commands.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real command tree as scripts see it: checking parses without running, running runs. */
class PicocliCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final PicocliCommands commands = new PicocliCommands(Cli.create(
            (file, subject, audience, scope, ttl) -> {
                throw CommandFailed.credentials("no secret in this test");
            },
            Map.of(), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)));

    private Check check(String... args) {
        return commands.check(List.of(args));
    }

    private String message(Check c) {
        return switch (c) {
            case Check.Valid v -> "valid";
            case Check.UnknownCommand u -> u.message();
            case Check.Invalid i -> i.message();
        };
    }

    @Test
    void a_valid_command_tells_every_option_it_takes_and_those_the_line_gives() {
        Check.Valid v = assertInstanceOf(Check.Valid.class,
                check("operator", "billing", "status", "--account", "x", "--format=json"));
        assertTrue(v.options().containsAll(List.of("--account", "--api-url", "--timeout", "--token-file", "--format",
                "--output", "--quiet", "--help", "-h")), v.options()::toString);
        assertEquals(java.util.Set.of("--account", "--format"), v.given());
    }

    @Test
    void an_unknown_command_is_named_with_the_commands_there_are() {
        Check c = check("frobnicate", "--now");
        assertInstanceOf(Check.UnknownCommand.class, c);
        assertTrue(message(c).startsWith("unknown command 'frobnicate'; the commands are "), message(c));
        assertTrue(message(c).contains("operator"), message(c));
    }

    @Test
    void an_unknown_subcommand_is_an_unknown_command_with_its_path_and_a_close_name() {
        Check c = check("operator", "billing", "catalogue", "get");
        assertInstanceOf(Check.UnknownCommand.class, c);
        assertEquals("unknown command 'operator billing catalogue'; did you mean 'operator billing catalog'?", message(c));
        assertTrue(message(check("operator", "xyz")).startsWith("unknown command 'operator xyz'; the commands of 'operator' are token, billing"),
                message(check("operator", "xyz")));
    }

    @Test
    void a_group_without_its_command_is_a_usage_error_listing_them() {
        assertEquals("'operator billing' needs a command: status, catalog", message(assertInstanceOf(Check.Invalid.class,
                check("operator", "billing"))));
        assertTrue(message(check("operator")).startsWith("'operator' needs a command: token, billing"), message(check("operator")));
        assertInstanceOf(Check.Valid.class, check("operator", "billing", "--help"));
        assertInstanceOf(Check.Valid.class, check("--version"));
    }

    @Test
    void unknown_options_missing_options_and_repeated_options_are_usage_errors() {
        assertEquals("Unknown option: '--colour'", message(assertInstanceOf(Check.Invalid.class,
                check("operator", "billing", "catalog", "get", "--colour"))));
        assertEquals("Missing required option: '--account=ID'", message(check("operator", "billing", "status")));
        assertInstanceOf(Check.Invalid.class, check("operator", "billing", "catalog", "get", "--format", "json", "--format", "text"));
        assertInstanceOf(Check.Invalid.class, check("operator", "billing", "catalog", "get", "--format"));
        assertInstanceOf(Check.Invalid.class, check("--nope"));
    }

    @Test
    void run_and_shell_cannot_be_used_in_a_script() {
        assertEquals("'run' cannot be used inside a .bus file or the shell; to run another .bus file, write its name on a line "
                + "of its own", message(assertInstanceOf(Check.Invalid.class, check("run", "x.bus"))));
        assertEquals("'shell' cannot be used inside a .bus file or the shell", message(check("shell")));
    }

    @Test
    void checking_runs_nothing() {
        Path file = dir.resolve("catalog.json");
        assertInstanceOf(Check.Valid.class, check("operator", "billing", "catalog", "template", "--output", file.toString()));
        assertFalse(Files.exists(file));
        assertEquals("", out.toString());
    }

    @Test
    void the_same_tree_runs_one_line_after_another_without_options_leaking_between_them() throws IOException {
        Path file = dir.resolve("catalog.json");
        assertEquals(0, commands.run(List.of("operator", "billing", "catalog", "template", "--output", file.toString())));
        Files.delete(file);
        assertEquals(0, commands.run(List.of("operator", "billing", "catalog", "template", "--quiet")));
        assertFalse(Files.exists(file), "--output of the line before did not stay");
        assertEquals("", out.toString());
        assertEquals(0, commands.run(List.of("operator", "billing", "catalog", "template")));
        assertTrue(out.toString().contains("\"llm-basic\""), out::toString);
    }
}
