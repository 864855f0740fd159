package fi.hg.bus.adapters.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json} for commands that show an answer of the server. */
public final class FormatOption {

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", converter = Format.Converter.class,
            description = "text: readable (default); json: the server's JSON.")
    Format format = Format.TEXT;

    public Format format() {
        return format;
    }
}
