package fi.hg.bus.script.syntax;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LexerTest {

    private static final Map<String, String> ENV = Map.of("ACCOUNT", "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
            "SPACED", "a b  c", "QUOTES", "'\"\\ ${ACCOUNT}", "EMPTY", "");

    private static List<Line> lines(String text) {
        Lexer.Lexed lexed = Lexer.lex(text, ENV);
        assertEquals(List.of(), lexed.problems(), "problems in " + text);
        return lexed.lines();
    }

    private static List<String> words(String text) {
        List<Line> lines = lines(text);
        assertEquals(1, lines.size(), "one line in " + text);
        return lines.getFirst().words();
    }

    private static List<Problem> problems(String text) {
        Lexer.Lexed lexed = Lexer.lex(text, ENV);
        assertFalse(lexed.problems().isEmpty(), "a problem in " + text);
        return lexed.problems();
    }

    private static Problem problem(String text) {
        List<Problem> problems = problems(text);
        assertEquals(1, problems.size(), () -> "one problem in " + text + ": " + problems);
        assertEquals(Problem.Kind.SYNTAX, problems.getFirst().kind());
        return problems.getFirst();
    }

    // ---- words and lines ------------------------------------------------------------------------

    @Test
    void words_split_on_spaces_and_tabs_and_runs_of_them() {
        assertEquals(List.of("operator", "billing", "catalog", "get"), words("  operator \t billing\t\tcatalog   get  "));
    }

    @Test
    void blank_lines_and_comments_are_skipped_and_lines_keep_their_numbers() {
        List<Line> lines = lines("#!/usr/bin/env bus\n\n# a comment\n   \t\nfirst one\n   # indented comment\nsecond\n");
        assertEquals(List.of(new Line(5, List.of("first", "one")), new Line(7, List.of("second"))), lines);
    }

    @Test
    void a_hash_after_the_first_word_is_text_because_there_are_no_inline_comments() {
        assertEquals(List.of("keys", "create", "#not-a-comment", "#"), words("keys create #not-a-comment #"));
    }

    @Test
    void the_last_line_needs_no_line_end() {
        assertEquals(List.of(new Line(1, List.of("a")), new Line(2, List.of("b"))), lines("a\nb"));
    }

    @Test
    void an_empty_text_has_no_lines() {
        assertEquals(List.of(), lines(""));
        assertEquals(List.of(), lines("\n\n# only comments\n"));
    }

    @Test
    void windows_line_ends_and_a_byte_order_mark_are_read_as_plain_lines() {
        assertEquals(List.of(new Line(1, List.of("a", "b")), new Line(2, List.of("c"))), lines("\uFEFFa b\r\nc\r\n"));
    }

    // ---- continuation -----------------------------------------------------------------------------

    @Test
    void a_trailing_backslash_joins_the_next_line_and_the_line_starts_where_it_began() {
        List<Line> lines = lines("one\noperator billing status \\\n    --account x \\\n  --format json\nlast\n");
        assertEquals(List.of(new Line(1, List.of("one")),
                new Line(2, List.of("operator", "billing", "status", "--account", "x", "--format", "json")),
                new Line(5, List.of("last"))), lines);
    }

    @Test
    void the_backslash_and_the_line_end_vanish_so_a_word_can_go_on() {
        assertEquals(List.of("abcd"), words("ab\\\ncd"));
    }

    @Test
    void a_continuation_inside_double_quotes_joins_too() {
        assertEquals(List.of("ab cd"), words("\"ab \\\ncd\""));
    }

    @Test
    void a_continued_line_followed_by_a_blank_line_ends_there() {
        assertEquals(List.of(new Line(1, List.of("a")), new Line(3, List.of("b"))), lines("a \\\n\nb"));
    }

    @Test
    void a_line_of_only_a_continuation_is_blank() {
        assertEquals(List.of(new Line(3, List.of("b"))), lines("  \\\n\nb"));
    }

    @Test
    void a_comment_never_continues() {
        assertEquals(List.of(new Line(2, List.of("next"))), lines("# comment \\\nnext"));
    }

    @Test
    void a_hash_at_the_start_of_a_continuation_line_is_a_word() {
        assertEquals(List.of("a", "#b"), words("a \\\n#b"));
    }

    // ---- quotes and escapes -------------------------------------------------------------------------

    @Test
    void single_quotes_keep_everything_as_written() {
        assertEquals(List.of("a b\\ $X ${NOPE} \" | ; < >"), words("'a b\\ $X ${NOPE} \" | ; < >'"));
    }

    @Test
    void double_quotes_keep_spaces_expand_names_and_escape_only_quote_backslash_and_dollar() {
        assertEquals(List.of("a  b 6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b \" \\ ${X} \\n ' | ; < >"),
                words("\"a  b ${ACCOUNT} \\\" \\\\ \\${X} \\n ' | ; < >\""));
    }

    @Test
    void a_backslash_outside_quotes_escapes_one_character() {
        assertEquals(List.of("a b", "'", "\"", "|", ";", "<", ">", "$", "\\", "#x"),
                words("a\\ b \\' \\\" \\| \\; \\< \\> \\$ \\\\ \\#x"));
    }

    @Test
    void empty_quotes_are_an_empty_word() {
        assertEquals(List.of("--name", "", ""), words("--name '' \"\""));
    }

    @Test
    void quoted_and_unquoted_parts_next_to_each_other_make_one_word() {
        assertEquals(List.of("abc d", "x=1 2"), words("a'b'\"c d\" x='1 2'"));
    }

    @Test
    void other_characters_are_plain_text() {
        assertEquals(List.of("&", "&&", "`x`", "(a)", "*", "~", "{}", "$", "$X", "a$"), words("& && `x` (a) * ~ {} $ $X a$"));
    }

    // ---- expansion ---------------------------------------------------------------------------------

    @Test
    void a_name_expands_from_the_environment_inside_a_word() {
        assertEquals(List.of("--account", "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "id=6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b."),
                words("--account ${ACCOUNT} id=${ACCOUNT}."));
    }

    @Test
    void a_value_is_never_split_or_read_again() {
        assertEquals(List.of("a b  c", "'\"\\ ${ACCOUNT}"), words("${SPACED} ${QUOTES}"));
    }

    @Test
    void a_default_is_used_when_the_name_is_unset_or_empty_and_not_otherwise() {
        assertEquals(List.of("fallback", "also fallback", "6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "", "x"),
                words("${NOPE:-fallback} \"${EMPTY:-also fallback}\" ${ACCOUNT:-unused} ${NOPE:-} ${EMPTY}x"));
    }

    @Test
    void a_default_is_taken_as_written_up_to_the_first_closing_brace() {
        assertEquals(List.of("a b'c\\d$x}"), words("${NOPE:-a b'c\\d$x}}"));
    }

    @Test
    void an_empty_value_still_makes_a_word() {
        assertEquals(List.of("--name", ""), words("--name ${EMPTY}"));
    }

    @Test
    void an_unset_name_without_a_default_is_an_error_naming_it() {
        Problem p = problem("ok\n\nbilling status --account ${ACCOUNT_ID}\n");
        assertEquals(3, p.line());
        assertEquals("ACCOUNT_ID is not set; set it in the environment, or write ${ACCOUNT_ID:-default}", p.message());
    }

    @Test
    void an_unset_name_in_double_quotes_is_an_error_too() {
        assertEquals(1, problem("\"x ${NOPE}\"").line());
    }

    @Test
    void a_brace_without_a_name_is_an_error() {
        assertTrue(problem("a ${}").message().startsWith("'${' must be followed by a name"));
        assertTrue(problem("a ${1X}").message().startsWith("'${' must be followed by a name"));
        assertTrue(problem("a ${ X}").message().startsWith("'${' must be followed by a name"));
    }

    @Test
    void a_name_followed_by_anything_but_a_brace_or_a_default_is_an_error() {
        assertEquals("bad ${X…}: write ${X} or ${X:-default}", problem("${X-default}").message());
        assertEquals("bad ${X…}: write ${X} or ${X:-default}", problem("${X").message());
        assertEquals("bad ${X…}: write ${X} or ${X:-default}", problem("${X:default}").message());
    }

    @Test
    void a_default_without_its_closing_brace_is_an_error() {
        Problem p = problem("a\n${X:-abc\nb");
        assertEquals(2, p.line());
        assertEquals("unterminated ${X:-…}: the closing } is missing", p.message());
    }

    // ---- errors --------------------------------------------------------------------------------------

    @Test
    void an_unterminated_single_quote_is_an_error_on_the_line_where_it_opened() {
        Problem p = problem("ok\nkeys create --name 'abc\nnext 'x'\n");
        assertEquals(2, p.line());
        assertEquals("unterminated single quote: a quote must end on the line it starts", p.message());
    }

    @Test
    void an_unterminated_double_quote_is_an_error_even_at_the_end_of_the_file() {
        Problem p = problem("ok\nok\n  \"abc");
        assertEquals(3, p.line());
        assertEquals("unterminated double quote: a quote must end on the line it starts", p.message());
    }

    @Test
    void unquoted_pipes_semicolons_and_redirections_are_errors_each() {
        for (String c : List.of("|", ";", "<", ">")) {
            Problem p = problem("first\nsecond a" + c + "b\n");
            assertEquals(2, p.line());
            assertEquals("unquoted '" + c + "' is not allowed: a line is one command, without pipes, ';' or redirections; "
                    + "quote it to pass it as text", p.message());
        }
    }

    @Test
    void a_backslash_at_the_very_end_of_the_file_is_an_error() {
        Problem p = problem("a\nb \\");
        assertEquals(2, p.line());
        assertEquals("the file ends with a \\ that escapes nothing", p.message());
    }

    @Test
    void a_continuation_on_the_last_line_is_an_error() {
        Problem p = problem("a\nb \\\n");
        assertEquals(2, p.line());
        assertEquals("the last line ends with a \\ but no line follows it", p.message());
    }

    @Test
    void an_error_on_a_continued_line_names_the_physical_line() {
        Problem p = problem("a \\\n  b \\\n  c|d\nnext\n");
        assertEquals(3, p.line());
    }

    @Test
    void every_line_with_an_error_is_reported_and_the_good_lines_are_still_read() {
        Lexer.Lexed lexed = Lexer.lex("good one\nbad 'x\ngood two\nbad ${NOPE}\nbad a|b \\\n  more\ngood three\n", ENV);
        assertEquals(List.of(2, 4, 5), lexed.problems().stream().map(Problem::line).toList());
        assertEquals(List.of(1, 3, 7), lexed.lines().stream().map(Line::number).toList());
    }

    @Test
    void control_characters_are_errors_with_their_line_and_column_even_in_comments() {
        List<Problem> problems = problems("ok\nab\u0000c\n# \u001b[2J\nok\u007f\nx\ry\n");
        assertEquals(List.of(2, 3, 4, 5), problems.stream().map(Problem::line).toList());
        assertEquals("control character U+0000 at column 3 is not allowed; .bus files are plain text",
                problems.getFirst().message());
        assertTrue(problems.get(1).message().startsWith("control character U+001B at column 3"));
        assertTrue(problems.get(3).message().startsWith("control character U+000D at column 2"));
    }

    @Test
    void direction_overrides_that_could_hide_text_are_errors() {
        Problem p = problem("# comment \u202e hidden\n");
        assertEquals(1, p.line());
        assertTrue(p.message().startsWith("control character U+202E"));
        assertTrue(problems("a \u2066b\u2069").getFirst().message().startsWith("control character U+2066"));
    }

    @Test
    void tabs_and_other_unicode_text_are_fine() {
        assertEquals(List.of("Ääkkönen", "日本", "😀"), words("Ääkkönen\t日本 😀"));
    }

    @Test
    void a_very_long_line_is_read_whole() {
        String big = "x".repeat(500_000);
        assertEquals(List.of("a", big), words("a " + big));
    }

    // ---- continuation at a prompt ------------------------------------------------------------------

    @Test
    void a_prompt_reads_on_after_a_trailing_backslash_and_only_then() {
        assertTrue(Lexer.continues("operator billing status \\"));
        assertTrue(Lexer.continues("a \\\nb \\"));
        assertTrue(Lexer.continues("a \"b \\"));
        assertFalse(Lexer.continues("a \\\\"));
        assertFalse(Lexer.continues("a 'b \\"));
        assertFalse(Lexer.continues("a 'b \\' \\\\"));
        assertTrue(Lexer.continues("a 'b' \\"));
        assertFalse(Lexer.continues("# comment \\"));
        assertFalse(Lexer.continues("  # comment \\"));
        assertFalse(Lexer.continues("a\\ b"));
        assertFalse(Lexer.continues(""));
    }
}
