package fi.hg.bus.adapters.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.TerminalText;

import java.util.ArrayList;
import java.util.List;

/** Keys as text for a terminal; every value from the server is stripped of control characters. */
final class KeyText {

    private KeyText() {
    }

    static String text(JsonNode node, String field) {
        return TerminalText.safe(node.path(field).asText(""));
    }

    /** {@code 250000 / 1000000 bus_llm_tokens}, or {@code 250000 bus_llm_tokens, unlimited}. */
    static String use(JsonNode key) {
        String meter = text(key, "meter_event_name");
        if (key.path("unlimited").asBoolean()) {
            return key.path("used").asLong() + " " + meter + ", unlimited";
        }
        return key.path("used").asLong() + " / " + key.path("quota_limit").asLong() + " " + meter;
    }

    static String expires(JsonNode key) {
        return key.has("expires_at") ? text(key, "expires_at") : "never";
    }

    /** One line per key under a header, in aligned columns. */
    static String table(JsonNode keys) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"ID", "NAME", "PREFIX", "STATUS", "USED", "EXPIRES"});
        for (JsonNode k : keys) {
            rows.add(new String[]{text(k, "id"), text(k, "name"), text(k, "prefix"), text(k, "status"), use(k), expires(k)});
        }
        int[] widths = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            if (!b.isEmpty()) {
                b.append(System.lineSeparator());
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].codePointCount(0, row[i].length()) + 2));
                }
            }
            b.append(line.toString().stripTrailing());
        }
        return b.toString();
    }
}
