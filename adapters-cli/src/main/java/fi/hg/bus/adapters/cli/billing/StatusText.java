package fi.hg.bus.adapters.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.TerminalText;

import java.util.ArrayList;
import java.util.List;

/**
 * A billing status answer ({@code GET …/billing/status}) as people read it: state, plan, features,
 * each quota window as a bar with used/limit and its reset time, and what to do next. Shared by
 * {@code bus operator billing status} and the account holder's {@code bus billing status}.
 */
public final class StatusText {

    private static final int BAR = 20;
    private static final String NL = System.lineSeparator();

    private StatusText() {
    }

    public static String render(JsonNode status) {
        StringBuilder b = new StringBuilder();
        line(b, "Account", text(status, "account_id", "?"));
        String state = text(status, "status", "?");
        String provider = text(status, "provider", null);
        line(b, "Status", provider == null ? state : state + " (provider " + provider + ")");
        line(b, "Plan", text(status, "plan_id", "none"));
        List<String> features = new ArrayList<>();
        status.path("features").forEach(f -> features.add(clean(f.asText())));
        line(b, "Features", features.isEmpty() ? "none" : String.join(", ", features));
        JsonNode usage = status.path("usage");
        if (usage.isArray() && !usage.isEmpty()) {
            b.append("Usage").append(NL);
            usage(b, usage);
        }
        next(b, status, state);
        return b.toString().stripTrailing();
    }

    private static void usage(StringBuilder b, JsonNode usage) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode item : usage) {
            long used = item.path("used").asLong();
            long limit = item.path("limit").asLong();
            long reserved = item.path("reserved").asLong();
            String amount = used + "/" + limit + (reserved > 0 ? " (+" + reserved + " reserved)" : "");
            String state = item.path("exceeded").asBoolean()
                    ? "EXCEEDED" + (item.hasNonNull("upgrade_plan_id") ? ", upgrade: " + clean(item.path("upgrade_plan_id").asText()) : "")
                    : "";
            String resets = item.hasNonNull("resets_at") ? "resets " + clean(item.path("resets_at").asText()) : "never resets";
            rows.add(new String[]{
                    clean(item.path("feature").asText()) + " " + clean(item.path("meter_event_name").asText()),
                    clean(item.path("window").asText()),
                    bar(used, reserved, limit),
                    amount,
                    resets + (state.isEmpty() ? "" : "  " + state)});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder l = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                l.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i])).append("  ");
            }
            b.append(l.toString().stripTrailing()).append(NL);
        }
    }

    /** {@code [#####+++...........]}: used, then reserved, of the limit. */
    static String bar(long used, long reserved, long limit) {
        int u = cells(used, limit);
        int r = Math.min(BAR - u, cells(used + reserved, limit) - u);
        return "[" + "#".repeat(u) + "+".repeat(Math.max(0, r)) + ".".repeat(BAR - u - Math.max(0, r)) + "]";
    }

    private static int cells(long amount, long limit) {
        if (limit <= 0 || amount <= 0) {
            return 0;
        }
        if (amount >= limit) {
            return BAR;
        }
        return (int) Math.max(1, Math.min(BAR, Math.round((double) amount * BAR / limit)));
    }

    private static void next(StringBuilder b, JsonNode status, String state) {
        String command = text(status, "command", "bus billing setup");
        String nextAction = text(status, "next_action", null);
        if (status.path("setup_required").asBoolean() || "setup_billing".equals(nextAction)) {
            b.append(NL).append(state.equals("missing")
                            ? "Billing is not set up for this account."
                            : "Billing is not active for this account (" + state + ").")
                    .append(NL).append("Next: the account holder runs `").append(command).append("`.").append(NL);
        } else if (status.path("upgrade_required").asBoolean() || "upgrade_plan".equals(nextAction)) {
            String plan = text(status, "recommended_plan", null);
            b.append(NL).append("A quota is exhausted").append(plan == null ? "." : "; recommended plan: " + plan + ".")
                    .append(NL).append("Next: the account holder runs `").append(command).append("` to change the plan.").append(NL);
        }
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(pad(label, 10)).append(value).append(NL);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : clean(v.asText());
    }

    private static String clean(String s) {
        return TerminalText.safe(s);
    }
}
