package fi.hg.bus.script.run;

import fi.hg.bus.script.syntax.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptRunnerTest {

    @TempDir
    Path dir;

    private final RecordingCommands commands = new RecordingCommands();
    private final StringWriter err = new StringWriter();
    private Map<String, String> env = Map.of("WHO", "alice", "SPACED", "a b");

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private int run(Path... files) {
        return run(Flags.NONE, false, files);
    }

    private int run(Flags flags, boolean check, Path... files) {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(f.toString());
        }
        return new ScriptRunner(commands, env, new PrintWriter(err, true)).run(names, flags, check);
    }

    private String errText() {
        return err.toString().replace(dir + "/", "");
    }

    private static List<String> cmd(String... words) {
        return List.of(words);
    }

    // ---- running ------------------------------------------------------------------------------------

    @Test
    void the_commands_run_in_order_and_the_script_exits_0() throws IOException {
        Path f = write("a.bus", "#!/usr/bin/env bus\nshow --name one\n\nplain\nshow --name \"${WHO}\" \\\n  --quiet\n");
        assertEquals(0, run(f));
        assertEquals(List.of(cmd("show", "--name", "one"), cmd("plain"), cmd("show", "--name", "alice", "--quiet")), commands.ran);
        assertEquals("", err.toString());
    }

    @Test
    void several_files_run_one_after_the_other() throws IOException {
        assertEquals(0, run(write("a.bus", "show --name a\n"), write("b.bus", "show --name b\n")));
        assertEquals(List.of(cmd("show", "--name", "a"), cmd("show", "--name", "b")), commands.ran);
    }

    @Test
    void a_failing_command_stops_the_script_and_its_exit_code_is_the_scripts() throws IOException {
        Path f = write("a.bus", "show --name first\nfail --code 4\nshow --name never\n");
        Path g = write("b.bus", "show --name never-either\n");
        assertEquals(4, run(f, g));
        assertEquals(List.of(cmd("show", "--name", "first"), cmd("fail", "--code", "4")), commands.ran);
        assertEquals("a.bus:2: bus fail --code 4: failed with exit code 4\n", errText());
    }

    @Test
    void an_empty_script_does_nothing_and_succeeds() throws IOException {
        assertEquals(0, run(write("empty.bus", "# nothing\n\n")));
        assertEquals(List.of(), commands.ran);
    }

    // ---- preflight ----------------------------------------------------------------------------------

    @Test
    void an_unknown_command_is_127_and_nothing_runs_not_even_the_lines_before_it() throws IOException {
        Path f = write("a.bus", "show --name first\nfrobnicate now\nshow --name third\n");
        assertEquals(127, run(f));
        assertEquals(List.of(), commands.ran);
        assertEquals("a.bus:2: unknown command 'frobnicate'\nbus: nothing was run\n", errText());
    }

    @Test
    void a_bad_option_is_a_usage_error_2_before_anything_runs() throws IOException {
        assertEquals(2, run(write("a.bus", "show\nshow --colour red\n")));
        assertEquals(List.of(), commands.ran);
        assertEquals("a.bus:2: unknown option '--colour'\nbus: nothing was run\n", errText());
    }

    @Test
    void a_syntax_error_is_65_and_nothing_runs() throws IOException {
        assertEquals(65, run(write("a.bus", "show\nshow --name 'open\n")));
        assertEquals(List.of(), commands.ran);
        assertEquals("a.bus:2: unterminated single quote: a quote must end on the line it starts\nbus: nothing was run\n", errText());
    }

    @Test
    void every_error_of_every_file_is_listed_in_line_order_and_the_first_gives_the_exit_code() throws IOException {
        Path a = write("a.bus", "show\nnope\nshow |\n--format yaml\n");
        Path b = write("b.bus", "show --name ${UNSET}\n");
        assertEquals(127, run(a, b));
        assertEquals("""
                a.bus:2: unknown command 'nope'
                a.bus:3: unquoted '|' is not allowed: a line is one command, without pipes, ';' or redirections; quote it to pass it as text
                a.bus:4: --format must be text or json, not 'yaml'
                b.bus:1: UNSET is not set; set it in the environment, or write ${UNSET:-default}
                bus: 4 errors; nothing was run
                """, errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_file_that_does_not_exist_is_a_usage_error_and_the_others_do_not_run() throws IOException {
        Path good = write("good.bus", "show\n");
        assertEquals(2, run(good, dir.resolve("missing.bus")));
        assertEquals("bus: cannot read missing.bus: no such file\nbus: nothing was run\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_directory_is_not_a_script() throws IOException {
        Files.createDirectories(dir.resolve("d.bus"));
        assertEquals(2, run(dir.resolve("d.bus")));
        assertTrue(errText().startsWith("bus: cannot read d.bus: it is a directory\n"), errText());
    }

    @Test
    void a_file_that_is_not_utf8_is_a_syntax_error_on_the_line_of_the_bad_byte() throws IOException {
        Path f = dir.resolve("bin.bus");
        Files.write(f, new byte[]{'s', 'h', 'o', 'w', '\n', 'a', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(65, run(f));
        assertEquals("bin.bus:2: not UTF-8 text: a .bus file is plain UTF-8 text\nbus: nothing was run\n", errText());
    }

    @Test
    void binary_content_is_refused_line_by_line_without_running_anything() throws IOException {
        Path f = write("bin.bus", "show\n\u0000\u0001\u0002\n");
        assertEquals(65, run(f));
        assertTrue(errText().startsWith("bin.bus:2: control character U+0000 at column 1 is not allowed"), errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_file_over_one_mebibyte_is_refused() throws IOException {
        Path f = dir.resolve("big.bus");
        Files.writeString(f, ("show --name " + "x".repeat(1000) + "\n").repeat(1100), StandardCharsets.UTF_8);
        assertEquals(65, run(f));
        assertEquals("big.bus:1: the file is larger than 1 MiB, the most a .bus file may hold\nbus: nothing was run\n", errText());
    }

    @Test
    void more_than_ten_thousand_commands_are_refused_before_any_runs() throws IOException {
        write("ten.bus", "plain\n".repeat(10));
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 1001; k++) {
            b.append("ten.bus\n");
        }
        Path f = write("many.bus", b.toString());
        assertEquals(65, run(f));
        // the 10001st command is the first line of the 1001st include
        assertEquals("ten.bus:1: more than 10000 commands (included files count too); nothing was run\n"
                + "bus: nothing was run\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    // ---- includes -----------------------------------------------------------------------------------

    @Test
    void an_include_runs_the_file_relative_to_the_including_file_in_place() throws IOException {
        write("lib/setup.bus", "show --name setup\nmore/inner.bus\n");
        write("lib/more/inner.bus", "show --name inner\n");
        Path main = write("main.bus", "show --name before\nlib/setup.bus\nshow --name after\n");
        assertEquals(0, run(main));
        assertEquals(List.of(cmd("show", "--name", "before"), cmd("show", "--name", "setup"), cmd("show", "--name", "inner"),
                cmd("show", "--name", "after")), commands.ran);
    }

    @Test
    void an_include_name_may_come_from_the_environment() throws IOException {
        write("lib/x.bus", "show --name x\n");
        env = Map.of("LIB", "lib");
        assertEquals(0, run(write("main.bus", "${LIB}/x.bus\n${OTHER:-lib}/x.bus\n")));
        assertEquals(2, commands.ran.size());
    }

    @Test
    void errors_in_an_included_file_name_that_file_and_its_line() throws IOException {
        write("lib/bad.bus", "show\nnope\n");
        assertEquals(127, run(write("main.bus", "show\nlib/bad.bus\n")));
        assertEquals("lib/bad.bus:2: unknown command 'nope'\nbus: nothing was run\n", errText());
    }

    @Test
    void a_missing_include_is_a_syntax_error_on_the_including_line() throws IOException {
        assertEquals(65, run(write("main.bus", "show\nlib/none.bus\n")));
        assertEquals("main.bus:2: cannot include lib/none.bus: no such file (lib/none.bus)\nbus: nothing was run\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_file_that_includes_itself_is_a_cycle() throws IOException {
        assertEquals(65, run(write("self.bus", "show\n./self.bus\n")));
        assertEquals("self.bus:2: include cycle: self.bus -> self.bus\nbus: nothing was run\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_longer_cycle_is_shown_whole_and_nothing_runs() throws IOException {
        write("a.bus", "show --name a\nsub/b.bus\n");
        write("sub/b.bus", "show --name b\nc.bus\n");
        write("sub/c.bus", "../a.bus\n");
        assertEquals(65, run(write("main.bus", "show --name main\na.bus\n")));
        assertEquals("sub/c.bus:1: include cycle: a.bus -> sub/b.bus -> sub/c.bus -> a.bus\nbus: nothing was run\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void a_cycle_through_a_symbolic_link_is_found() throws IOException {
        write("real.bus", "link.bus\n");
        Files.createSymbolicLink(dir.resolve("link.bus"), dir.resolve("real.bus"));
        assertEquals(65, run(dir.resolve("real.bus")));
        assertTrue(errText().startsWith("real.bus:1: include cycle: real.bus -> link.bus"), errText());
    }

    @Test
    void the_same_file_included_twice_is_not_a_cycle() throws IOException {
        write("common.bus", "plain\n");
        write("x.bus", "common.bus\n");
        assertEquals(0, run(write("main.bus", "common.bus\nx.bus\ncommon.bus\n")));
        assertEquals(3, commands.ran.size());
    }

    @Test
    void includes_nest_at_most_32_deep() throws IOException {
        for (int k = 0; k < 40; k++) {
            write("n" + k + ".bus", "n" + (k + 1) + ".bus\n");
        }
        write("n40.bus", "plain\n");
        assertEquals(65, run(dir.resolve("n0.bus")));
        assertEquals("n31.bus:1: cannot include n32.bus: includes nest deeper than 32 files\nbus: nothing was run\n", errText());
    }

    @Test
    void a_directory_cannot_be_included() throws IOException {
        Files.createDirectories(dir.resolve("d.bus"));
        assertEquals(65, run(write("main.bus", "d.bus\n")));
        assertEquals("main.bus:1: cannot include d.bus: it is a directory\nbus: nothing was run\n", errText());
    }

    // ---- global flags -------------------------------------------------------------------------------

    @Test
    void a_flags_line_applies_to_the_commands_after_it_that_take_the_flag() throws IOException {
        Path f = write("a.bus", "show --name 1\n--quiet --format json --output out.txt\nshow --name 2\nplain\nfail --code 0\n");
        assertEquals(0, run(f));
        assertEquals(List.of(cmd("show", "--name", "1"),
                cmd("show", "--name", "2", "--quiet", "--format", "json", "--output", "out.txt"),
                cmd("plain"),
                cmd("fail", "--code", "0", "--quiet")), commands.ran);
    }

    @Test
    void an_option_on_the_line_itself_wins_over_the_flag() throws IOException {
        Path f = write("a.bus", "--format json\nshow --format text\n");
        assertEquals(0, run(f));
        assertEquals(List.of(cmd("show", "--format", "text")), commands.ran);
    }

    @Test
    void the_no_forms_undo_the_flags() throws IOException {
        Path f = write("a.bus", "--quiet --format json --output o\nshow\n--no-quiet --no-format\nshow\n--no-output\nshow\n");
        assertEquals(0, run(f));
        assertEquals(List.of(cmd("show", "--quiet", "--format", "json", "--output", "o"), cmd("show", "--output", "o"), cmd("show")),
                commands.ran);
    }

    @Test
    void flags_are_added_before_a_double_dash() throws IOException {
        assertEquals(0, run(write("a.bus", "--quiet\nshow -- --literal\n")));
        assertEquals(List.of(cmd("show", "--quiet", "--", "--literal")), commands.ran);
    }

    @Test
    void an_included_file_starts_with_the_flags_of_its_includer_and_its_own_end_with_it() throws IOException {
        write("inc.bus", "show --name in1\n--format text\nshow --name in2\n");
        Path f = write("main.bus", "--format json\ninc.bus\nshow --name after\n");
        assertEquals(0, run(f));
        assertEquals(List.of(cmd("show", "--name", "in1", "--format", "json"), cmd("show", "--name", "in2", "--format", "text"),
                cmd("show", "--name", "after", "--format", "json")), commands.ran);
    }

    @Test
    void each_file_on_the_command_line_starts_with_the_flags_given_there() throws IOException {
        Path a = write("a.bus", "--format json\nshow\n");
        Path b = write("b.bus", "show\n");
        assertEquals(0, run(new Flags(true, null, null, false), false, a, b));
        assertEquals(List.of(cmd("show", "--quiet", "--format", "json"), cmd("show", "--quiet")), commands.ran);
    }

    @Test
    void a_flag_that_breaks_a_command_is_reported_on_the_commands_line() throws IOException {
        // "fail" takes --quiet but the fake refuses it twice: a stand-in for a command that cannot take a flag's value
        Path f = write("a.bus", "--quiet\nfail --code 1 --quiet --quiet\n");
        assertEquals(2, run(f));
        assertEquals("a.bus:2: option '--quiet' given twice\nbus: nothing was run\n", errText());
    }

    // ---- --check and --trace ------------------------------------------------------------------------

    @Test
    void check_runs_nothing_and_prints_nothing_when_all_is_well() throws IOException {
        assertEquals(0, run(Flags.NONE, true, write("a.bus", "show\nfail --code 3\n")));
        assertEquals(List.of(), commands.ran);
        assertEquals(List.of(cmd("show"), cmd("fail", "--code", "3")), commands.checked);
        assertEquals("", err.toString());
    }

    @Test
    void check_reports_errors_with_their_exit_code() throws IOException {
        assertEquals(127, run(Flags.NONE, true, write("a.bus", "show\nnope\n")));
        assertEquals("a.bus:2: unknown command 'nope'\nbus: nothing was run\n", errText());
    }

    @Test
    void trace_prints_each_command_with_its_place_before_it_runs() throws IOException {
        write("lib.bus", "show --name 'x y'\n");
        Path f = write("a.bus", "show --name \"${SPACED}\"\nlib.bus\nfail --code 5\nshow\n");
        assertEquals(5, run(new Flags(false, null, null, true), false, f));
        assertEquals("""
                a.bus:1: bus show --name 'a b'
                lib.bus:1: bus show --name 'x y'
                a.bus:3: bus fail --code 5
                a.bus:3: bus fail --code 5: failed with exit code 5
                """, errText());
    }

    @Test
    void a_trace_line_turns_tracing_on_for_the_lines_after_it_and_no_trace_off() throws IOException {
        Path f = write("a.bus", "show --name 1\n--trace\nshow --name 2\n--no-trace\nshow --name 3\n");
        assertEquals(0, run(f));
        assertEquals("a.bus:3: bus show --name 2\n", errText());
        assertEquals(3, commands.ran.size());
    }

    @Test
    void check_with_trace_shows_what_would_run() throws IOException {
        assertEquals(0, run(new Flags(false, "json", null, true), true, write("a.bus", "show\nplain\n")));
        assertEquals("a.bus:1: bus show --format json\na.bus:2: bus plain\n", errText());
        assertEquals(List.of(), commands.ran);
    }

    @Test
    void trace_quotes_arguments_so_that_they_read_back_the_same_and_hides_control_characters() throws IOException {
        env = Map.of("ODD", "it's\u001b[2J");
        assertEquals(0, run(new Flags(false, null, null, true), false, write("a.bus", "show --name \"${ODD}\"\nshow --name ''\n")));
        assertEquals("a.bus:1: bus show --name 'it'\\''s?[2J'\na.bus:2: bus show --name ''\n", errText());
        assertEquals(cmd("show", "--name", "it's\u001b[2J"), commands.ran.getFirst());
    }

    // ---- the shell's session ------------------------------------------------------------------------

    @Test
    void a_session_keeps_flags_between_entries_and_goes_on_after_errors() throws IOException {
        Session session = new Session(commands, env, new PrintWriter(err, true));
        assertEquals(0, session.enter("--format json"));
        assertEquals(127, session.enter("nope"));
        assertEquals(65, session.enter("show 'open"));
        assertEquals(3, session.enter("fail --code 3"));
        assertEquals(0, session.enter("show \\\n --name ${WHO}"));
        assertEquals(2, session.enter("--format yaml"));
        assertEquals(new Flags(false, "json", null, false), session.flags());
        write("inc.bus", "show --name inc\n");
        assertEquals(0, session.enter(dir.resolve("inc.bus").toString()));
        assertEquals(List.of(cmd("fail", "--code", "3"), cmd("show", "--name", "alice", "--format", "json"),
                cmd("show", "--name", "inc", "--format", "json")), commands.ran);
        assertEquals("""
                bus: unknown command 'nope'
                bus: unterminated single quote: a quote must end on the line it starts
                bus: --format must be text or json, not 'yaml'
                """, err.toString());
    }
}
