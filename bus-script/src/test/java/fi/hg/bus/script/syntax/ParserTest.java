package fi.hg.bus.script.syntax;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParserTest {

    private static final Map<String, String> ENV = Map.of("DIR", "lib", "FORMAT", "json");

    private static List<Statement> statements(String text) {
        Parser.Parsed parsed = Parser.parse(text, ENV);
        assertEquals(List.of(), parsed.problems());
        return parsed.statements();
    }

    private static Problem problem(String text) {
        Parser.Parsed parsed = Parser.parse(text, ENV);
        assertEquals(1, parsed.problems().size(), () -> "one problem in " + text + ": " + parsed.problems());
        return parsed.problems().getFirst();
    }

    @Test
    void a_line_is_a_command_without_the_bus_prefix() {
        assertEquals(List.of(new Statement.Command(2, List.of("operator", "billing", "catalog", "get"))),
                statements("# c\noperator billing catalog get\n"));
    }

    @Test
    void a_line_of_one_word_ending_in_dot_bus_includes_that_file() {
        assertEquals(List.of(new Statement.Include(1, "setup.bus"), new Statement.Include(2, "lib/with space.bus"),
                        new Statement.Include(3, "lib/x.bus")),
                statements("setup.bus\n'lib/with space.bus'\n${DIR}/x.bus\n"));
    }

    @Test
    void a_dot_bus_word_among_others_is_a_command_and_another_ending_is_not_an_include() {
        assertEquals(List.of(new Statement.Command(1, List.of("run", "x.bus")), new Statement.Command(2, List.of("x.bash"))),
                statements("run x.bus\nx.bash\n"));
    }

    @Test
    void a_line_of_global_flags_reads_every_form() {
        List<Statement> st = statements("--quiet --format json --output out.txt --trace\n"
                + "--no-quiet --no-format --no-output --no-trace\n--format=TEXT --output=a=b.txt\n--format ${FORMAT}\n");
        assertEquals(new Statement.SetFlags(1, List.of(new Flag.Quiet(true), new Flag.Format("json"),
                new Flag.Output("out.txt"), new Flag.Trace(true))), st.get(0));
        assertEquals(new Statement.SetFlags(2, List.of(new Flag.Quiet(false), new Flag.Format(null),
                new Flag.Output(null), new Flag.Trace(false))), st.get(1));
        assertEquals(new Statement.SetFlags(3, List.of(new Flag.Format("text"), new Flag.Output("a=b.txt"))), st.get(2));
        assertEquals(new Statement.SetFlags(4, List.of(new Flag.Format("json"))), st.get(3));
    }

    @Test
    void flags_apply_in_order_and_the_no_forms_undo_them() {
        Flags f = Flags.NONE.with(List.of(new Flag.Quiet(true), new Flag.Format("json"), new Flag.Output("o"), new Flag.Trace(true)));
        assertEquals(new Flags(true, "json", "o", true), f);
        assertEquals(Flags.NONE, f.with(List.of(new Flag.Quiet(false), new Flag.Format(null), new Flag.Output(null),
                new Flag.Trace(false))));
        assertEquals(new Flags(false, "text", null, false), Flags.NONE.with(List.of(new Flag.Format("json"), new Flag.Format("text"))));
    }

    @Test
    void a_flags_line_with_anything_else_is_a_usage_error_on_its_line() {
        Problem p = problem("ok\n--quiet operator billing catalog get\n");
        assertEquals(new Problem(2, "'operator' is not a global flag: a line of global flags (--quiet, --format text|json, "
                + "--output FILE, --trace and their --no- forms) holds nothing else; put other options on the command's own line",
                Problem.Kind.USAGE), p);
    }

    @Test
    void a_format_other_than_text_or_json_is_a_usage_error() {
        assertEquals(new Problem(1, "--format must be text or json, not 'yaml'", Problem.Kind.USAGE), problem("--format yaml"));
        assertEquals(new Problem(1, "--format must be text or json, not ''", Problem.Kind.USAGE), problem("--format="));
    }

    @Test
    void a_flag_without_its_value_is_a_usage_error() {
        assertEquals(new Problem(1, "--format needs a value: text or json", Problem.Kind.USAGE), problem("--quiet --format"));
        assertEquals(new Problem(1, "--output needs a value: a file name", Problem.Kind.USAGE), problem("--output"));
        assertEquals(new Problem(1, "--output needs a file name", Problem.Kind.USAGE), problem("--output ''"));
    }

    @Test
    void a_value_on_a_flag_that_takes_none_is_a_usage_error() {
        assertEquals(new Problem(1, "--quiet takes no value", Problem.Kind.USAGE), problem("--quiet=yes"));
        assertEquals(new Problem(1, "--no-format takes no value", Problem.Kind.USAGE), problem("--no-format=json"));
    }

    @Test
    void an_option_that_is_not_a_global_flag_starts_a_command() {
        assertEquals(List.of(new Statement.Command(1, List.of("--help")), new Statement.Command(2, List.of("--version"))),
                statements("--help\n--version"));
    }

    @Test
    void syntax_and_usage_problems_are_reported_together_and_good_lines_still_parse() {
        Parser.Parsed parsed = Parser.parse("a\nb 'x\n--format yaml\nc\n", ENV);
        assertEquals(List.of(new Statement.Command(1, List.of("a")), new Statement.Command(4, List.of("c"))), parsed.statements());
        assertEquals(List.of(Problem.Kind.SYNTAX, Problem.Kind.USAGE), parsed.problems().stream().map(Problem::kind).toList());
    }
}
