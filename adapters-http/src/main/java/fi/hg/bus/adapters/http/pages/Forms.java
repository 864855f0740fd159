package fi.hg.bus.adapters.http.pages;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads {@code application/x-www-form-urlencoded} bodies strictly: UTF-8, each field at most once. */
final class Forms {

    private Forms() {
    }

    /** The fields, or empty when the body is not a well-formed form. */
    static Optional<Map<String, String>> parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.US_ASCII.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        if (text.isEmpty()) {
            return Optional.of(fields);
        }
        for (String pair : text.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name;
            String value;
            try {
                name = decode(pair.substring(0, eq));
                value = decode(pair.substring(eq + 1));
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return Optional.empty();
            }
            if (fields.putIfAbsent(name, value) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(fields);
    }

    private static String decode(String s) throws CharacterCodingException {
        String latin = URLDecoder.decode(s, StandardCharsets.ISO_8859_1);
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(latin.getBytes(StandardCharsets.ISO_8859_1))).toString();
    }

    /** The value of one cookie of a {@code Cookie} header, or null. */
    static String cookie(Iterable<String> headers, String name) {
        String found = null;
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(name)) {
                    if (found != null) {
                        return null;
                    }
                    found = p.substring(eq + 1);
                }
            }
        }
        return found;
    }
}
