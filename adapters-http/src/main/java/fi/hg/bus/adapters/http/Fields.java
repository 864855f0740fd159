package fi.hg.bus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/** Reads fields of request bodies; every wrong value is a 400 naming the field. */
public final class Fields {

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
        if (!isUuid(text)) {
            throw ApiError.badRequest(what + ": must be a UUID");
        }
        return UUID.fromString(text);
    }

    /** Whether {@code text} is 8-4-4-4-12 hexadecimal digits; read directly, as it runs for most requests. */
    static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
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
