package fi.hg.bus.script.syntax;

import java.util.List;

/** One logical line: its words, quotes and escapes removed and {@code ${…}} expanded; {@code number} is where it starts. */
public record Line(int number, List<String> words) {

    public Line {
        if (number < 1) {
            throw new IllegalArgumentException("line numbers start at 1");
        }
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a line has at least one word");
        }
    }
}
