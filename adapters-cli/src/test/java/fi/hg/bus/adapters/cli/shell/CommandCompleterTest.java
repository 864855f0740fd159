package fi.hg.bus.adapters.cli.shell;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.adapters.cli.CommandFailed;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion from the real command tree, through the shell's own line parser. */
class CommandCompleterTest {

    @TempDir
    Path dir;

    private final Cli cli = Cli.create((file, subject, audience, scope, ttl) -> {
        throw CommandFailed.credentials("no secret in this test");
    }, Map.of(), Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    private final CommandCompleter completer = new CommandCompleter(cli.commandLine());
    private final ShellParser parser = new ShellParser();

    /** The values offered with the cursor at the end of {@code typed}. */
    private Set<String> offered(String typed) {
        ParsedLine line = parser.parse(typed, typed.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, line, candidates);
        Set<String> values = new TreeSet<>();
        candidates.forEach(c -> values.add(c.value()));
        return values;
    }

    @Test
    void at_the_start_of_a_line_the_commands_and_the_shells_own_words_are_offered() {
        Set<String> o = offered("");
        assertTrue(o.containsAll(List.of("operator", "help", "exit", "quit")), o::toString);
        assertFalse(o.contains("run"), "run cannot be used in the shell");
        assertFalse(o.contains("shell"));
    }

    @Test
    void subcommands_follow_their_command() {
        assertTrue(offered("operator ").containsAll(Set.of("token", "billing", "auth")), offered("operator ")::toString);
        assertEquals(Set.of("status", "catalog"), offered("operator billing "));
        assertEquals(Set.of("template", "get", "put"), offered("operator  billing catalog "));
    }

    @Test
    void options_of_the_command_are_offered_and_those_given_are_not_offered_again() {
        Set<String> o = offered("operator billing status --");
        assertTrue(o.containsAll(List.of("--account", "--api-url", "--token-file", "--timeout", "--format", "--output", "--quiet",
                "--help")), o::toString);
        Set<String> after = offered("operator billing status --account 6f1c --format json --");
        assertFalse(after.contains("--account"), after::toString);
        assertFalse(after.contains("--format"), after::toString);
        assertTrue(after.contains("--output"), after::toString);
    }

    @Test
    void a_leaf_command_offers_its_options_without_a_dash() {
        assertTrue(offered("operator billing catalog get ").contains("--api-url"));
    }

    @Test
    void the_values_an_option_lists_are_offered() {
        assertEquals(Set.of("text", "json"), offered("operator billing catalog get --format "));
        assertEquals(Set.of("json", "token"), offered("operator token --format "));
    }

    @Test
    void file_options_complete_file_names() throws IOException {
        Files.writeString(dir.resolve("catalog.json"), "{}");
        Files.createDirectories(dir.resolve("sub"));
        assertEquals(Set.of(dir + "/catalog.json", dir + "/sub/"), offered("operator billing catalog put --file " + dir + "/"));
    }

    @Test
    void at_the_start_of_a_line_bus_files_complete_for_an_include() throws IOException {
        Files.writeString(dir.resolve("setup.bus"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Set<String> o = offered(dir + "/");
        assertTrue(o.contains(dir + "/setup.bus"), o::toString);
        assertFalse(o.contains(dir + "/notes.txt"), o::toString);
    }

    @Test
    void a_dash_at_the_start_of_a_line_offers_the_global_flags() {
        Set<String> o = offered("--");
        assertTrue(o.containsAll(List.of("--quiet", "--no-quiet", "--format", "--output", "--trace", "--no-trace")), o::toString);
    }

    @Test
    void help_completes_command_names() {
        assertTrue(offered("help ").contains("operator"));
        assertTrue(offered("help operator ").containsAll(Set.of("token", "billing", "auth")), offered("help operator ")::toString);
    }

    @Test
    void an_unknown_word_offers_nothing_wrong() {
        assertEquals(Set.of(), offered("frobnicate "));
    }

    @Test
    void a_trailing_backslash_asks_for_another_line_and_nothing_else_does() {
        assertThrows(EOFError.class, () -> parser.parse("operator billing \\", 18, Parser.ParseContext.ACCEPT_LINE));
        assertDoesNotThrow(() -> parser.parse("operator 'unclosed", 18, Parser.ParseContext.ACCEPT_LINE));
        assertDoesNotThrow(() -> parser.parse("operator billing \\\\", 19, Parser.ParseContext.ACCEPT_LINE));
        assertDoesNotThrow(() -> parser.parse("# comment \\", 11, Parser.ParseContext.ACCEPT_LINE));
    }
}
