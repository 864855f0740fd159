package fi.hg.bus.script.syntax;

import java.util.List;

/** What a logical line of a {@code .bus} text means. */
public sealed interface Statement {

    int line();

    /** A command, written without the {@code bus} prefix: {@code operator billing catalog get}. */
    record Command(int line, List<String> words) implements Statement {
        public Command {
            words = List.copyOf(words);
        }
    }

    /** A line that is one word ending in {@code .bus}: the file it names is included, relative to this one. */
    record Include(int line, String path) implements Statement {
    }

    /** A line of global flags only; they apply to the lines after it. */
    record SetFlags(int line, List<Flag> flags) implements Statement {
        public SetFlags {
            flags = List.copyOf(flags);
        }
    }
}
