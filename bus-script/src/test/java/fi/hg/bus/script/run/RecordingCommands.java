package fi.hg.bus.script.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory {@link Commands} for the language's own tests (the port's fake, as DESIGN.md has
 * use cases tested with in-memory ports; the real command line is tested in adapters-cli and app):
 * {@code show} takes {@code --quiet}, {@code --format F}, {@code --output F} and {@code --name N};
 * {@code plain} takes nothing; {@code fail --code N} exits N. Every check and run is recorded.
 */
final class RecordingCommands implements Commands {

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "show", Set.of("--quiet", "--format", "--output", "--name"),
            "plain", Set.of(),
            "fail", Set.of("--code", "--quiet"));
    private static final Set<String> WITH_VALUE = Set.of("--format", "--output", "--name", "--code");

    final List<List<String>> checked = new ArrayList<>();
    final List<List<String>> ran = new ArrayList<>();

    @Override
    public Check check(List<String> args) {
        checked.add(List.copyOf(args));
        Set<String> options = OPTIONS.get(args.getFirst());
        if (options == null) {
            return new Check.UnknownCommand("unknown command '" + args.getFirst() + "'");
        }
        Set<String> given = new HashSet<>();
        for (int k = 1; k < args.size(); k++) {
            String a = args.get(k);
            if (a.equals("--")) {
                break;
            }
            if (!options.contains(a)) {
                return new Check.Invalid("unknown option '" + a + "'");
            }
            if (!given.add(a)) {
                return new Check.Invalid("option '" + a + "' given twice");
            }
            if (WITH_VALUE.contains(a) && ++k == args.size()) {
                return new Check.Invalid("missing value for " + a);
            }
        }
        return new Check.Valid(options, given);
    }

    @Override
    public int run(List<String> args) {
        ran.add(List.copyOf(args));
        int code = args.indexOf("--code");
        return args.getFirst().equals("fail") ? Integer.parseInt(args.get(code + 1)) : 0;
    }
}
