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

    /** As an operator reads another account's status. */
    public static String render(JsonNode status) {
        StringBuilder b = new StringBuilder();
        head(b, status, Colour.OFF);
        next(b, status, text(status, "status", "?"));
        return b.toString().stripTrailing();
    }

    /**
     * As the account holder reads their own status ({@code bus billing status}): the same head,
     * then, when billing is missing or not active, the next command; when a quota is exhausted,
     * each exhausted quota item as the server's JSON and the upgrade guidance with the
     * recommended plan. {@code colour} adds ANSI colours (for a terminal).
     */
    public static String renderOwn(JsonNode status, boolean colour) {
        Colour c = colour ? Colour.ON : Colour.OFF;
        StringBuilder b = new StringBuilder();
        head(b, status, c);
        String state = text(status, "status", "?");
        String command = text(status, "command", "bus billing setup");
        String nextAction = text(status, "next_action", null);
        List<JsonNode> exhausted = new ArrayList<>();
        status.path("usage").forEach(item -> {
            if (item.path("exceeded").asBoolean()) {
                exhausted.add(item);
            }
        });
        if (status.path("setup_required").asBoolean() || "setup_billing".equals(nextAction)) {
            b.append(NL).append(state.equals("missing")
                    ? "Billing is not set up for this account."
                    : "Billing is not active for this account (" + state + ").").append(NL);
            b.append("Next: ").append(c.bold(command)).append(NL);
        } else if (status.path("upgrade_required").asBoolean() || "upgrade_plan".equals(nextAction) || !exhausted.isEmpty()) {
            b.append(NL).append(exhausted.size() == 1 ? "A quota is exhausted:" : "Quotas are exhausted:").append(NL);
            for (JsonNode item : exhausted) {
                b.append(clean(item.toString())).append(NL);
            }
            String plan = text(status, "recommended_plan", null);
            b.append(plan == null ? "Upgrade: choose a larger plan." : "Upgrade: the recommended plan is " + c.bold(plan) + ".")
                    .append(NL).append("Next: ").append(c.bold(command)).append(NL);
        }
        return b.toString().stripTrailing();
    }

    private static void head(StringBuilder b, JsonNode status, Colour c) {
        line(b, "Account", text(status, "account_id", "?"));
        String state = text(status, "status", "?");
        String provider = text(status, "provider", null);
        String shown = c.state(state);
        line(b, "Status", provider == null ? shown : shown + " (provider " + provider + ")");
        line(b, "Plan", text(status, "plan_id", "none"));
        List<String> features = new ArrayList<>();
        status.path("features").forEach(f -> features.add(clean(f.asText())));
        line(b, "Features", features.isEmpty() ? "none" : String.join(", ", features));
        JsonNode usage = status.path("usage");
        if (usage.isArray() && !usage.isEmpty()) {
            b.append("Usage").append(NL);
            usage(b, usage, c);
        }
    }

    /** ANSI colours, or none. */
    private enum Colour {
        ON, OFF;

        private static final String RESET = "\u001B[0m";

        String paint(String code, String text) {
            return this == ON ? "\u001B[" + code + "m" + text + RESET : text;
        }

        String bold(String text) {
            return paint("1", text);
        }

        String state(String state) {
            return switch (state) {
                case "active" -> paint("32", state);
                case "missing", "incomplete" -> paint("33", state);
                case "past_due", "canceled" -> paint("31", state);
                default -> state;
            };
        }

        /** Green below 80 %, yellow from 80 %, red when exhausted. */
        String bar(String bar, long used, long reserved, long limit, boolean exceeded) {
            if (exceeded || (limit > 0 && used + reserved >= limit)) {
                return paint("31", bar);
            }
            return paint(limit > 0 && (used + reserved) * 5 >= limit * 4 ? "33" : "32", bar);
        }
    }

    private static void usage(StringBuilder b, JsonNode usage, Colour c) {
        List<String[]> rows = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : usage) {
            items.add(item);
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
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            JsonNode item = items.get(r);
            StringBuilder l = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                String cell = i == row.length - 1 ? row[i] : pad(row[i], widths[i]);
                if (i == 2) {
                    cell = c.bar(cell, item.path("used").asLong(), item.path("reserved").asLong(), item.path("limit").asLong(),
                            item.path("exceeded").asBoolean());
                }
                l.append(cell).append("  ");
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
