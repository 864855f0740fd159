package fi.hg.bus.adapters.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code --format text|json}: a readable rendering, or the server's JSON. */
public enum Format {
    TEXT, JSON;

    /** Reads {@code text} or {@code json}, in any case. */
    public static final class Converter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new TypeConversionException("must be text or json");
            };
        }
    }
}
