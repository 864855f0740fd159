package fi.hg.bus.adapters.cli.shell;

import fi.hg.bus.script.syntax.Lexer;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * The prompt's line reading: a line that ends with a {@code \} continues on the next one, by the
 * rule of {@code .bus} files ({@link Lexer#continues}); the words JLine needs for completion come
 * from its own parser, whose quotes and escapes are those of {@code .bus} lines. The entry itself
 * is read by the {@code .bus} lexer when it runs.
 */
final class ShellParser extends DefaultParser {

    ShellParser() {
        setEscapeChars(new char[]{'\\'});
        setQuoteChars(new char[]{'\'', '"'});
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && Lexer.continues(line)) {
            throw new EOFError(-1, cursor, "the line continues", "");
        }
        return super.parse(line, cursor, context);
    }
}
