package fi.hg.bus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads fields of request bodies; every wrong value is a 400 naming the field. */
public final class Fields {

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Fields() {
    }

    /** 400 for the first key of {@code node} not in {@code allowed}. */
    public static void onlyKeys(JsonNode node, String at, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiError.badRequest(at + name + ": unknown field");
            }
        }
    }

    /** A string field; null when absent or null and not required. */
    public static String text(JsonNode node, String at, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badRequest(at + name + ": is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(at + name + ": must be a string");
        }
        return value.asText();
    }

    /** A UUID string field. */
    public static UUID uuid(JsonNode node, String at, String name, boolean required) {
        String text = text(node, at, name, required);
        if (text == null) {
            return null;
        }
        return uuid(text, at + name);
    }

    /** A UUID in its {@code 8-4-4-4-12} hexadecimal form, or 400 naming {@code what}. */
    public static UUID uuid(String text, String what) {
        if (!UUID_SHAPE.matcher(text).matches()) {
            throw ApiError.badRequest(what + ": must be a UUID");
        }
        return UUID.fromString(text);
    }

    /** A whole number field within [min, max]; null when absent and not required. */
    public static Long integer(JsonNode node, String at, String name, boolean required, long min, long max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badRequest(at + name + ": is required");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiError.badRequest(at + name + ": must be an integer");
        }
        long v = value.asLong();
        if (v < min || v > max) {
            throw ApiError.badRequest(at + name + ": must be from " + min + " to " + max);
        }
        return v;
    }

    /** An object field; null when absent or null and not required. */
    public static JsonNode object(JsonNode node, String at, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badRequest(at + name + ": is required");
            }
            return null;
        }
        if (!value.isObject()) {
            throw ApiError.badRequest(at + name + ": must be a JSON object");
        }
        return value;
    }

    /** A string for messages: cut short, with control characters replaced. */
    public static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
