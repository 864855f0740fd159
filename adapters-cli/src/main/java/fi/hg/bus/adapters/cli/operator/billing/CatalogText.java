package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.TerminalText;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/** The catalog as people read it: products, meters, and each plan with its features, prices and quotas. */
final class CatalogText {

    private static final String NL = System.lineSeparator();

    private CatalogText() {
    }

    static String render(JsonNode catalog) {
        StringBuilder b = new StringBuilder();
        long version = catalog.path("version").asLong();
        JsonNode plans = catalog.path("plans");
        if (version == 0 && plans.isEmpty()) {
            return "No catalog is stored yet. Start from `bus operator billing catalog template`.";
        }
        b.append("Catalog version ").append(version);
        if (catalog.hasNonNull("created_at")) {
            b.append(", stored ").append(text(catalog.path("created_at")));
        }
        b.append(NL);
        b.append("Products").append(NL);
        rowsOrNone(b, catalog.path("products"), p -> text(p.path("id")) + optional("  ", p.path("name")));
        b.append("Meters").append(NL);
        rowsOrNone(b, catalog.path("meters"), m -> text(m.path("name"))
                + (m.hasNonNull("unit") ? " (" + text(m.path("unit")) + ")" : ""));
        b.append("Plans").append(NL);
        if (plans.isEmpty()) {
            b.append("  none").append(NL);
        }
        for (JsonNode plan : plans) {
            plan(b, plan);
        }
        return b.toString().stripTrailing();
    }

    private static void plan(StringBuilder b, JsonNode plan) {
        b.append("  ").append(text(plan.path("id")));
        if (plan.hasNonNull("name")) {
            b.append("  ").append(text(plan.path("name")));
        }
        if (plan.hasNonNull("product_id")) {
            b.append("  (product ").append(text(plan.path("product_id"))).append(')');
        }
        b.append(NL);
        List<String> features = new ArrayList<>();
        plan.path("features").forEach(f -> features.add(text(f)));
        field(b, "features", List.of(features.isEmpty() ? "none" : String.join(", ", features)));
        List<String> prices = new ArrayList<>();
        plan.path("prices").forEach(p -> prices.add(price(p)));
        field(b, "prices", prices.isEmpty() ? List.of("none") : prices);
        List<String> quotas = new ArrayList<>();
        plan.path("quotas").forEach(q -> quotas.add(text(q.path("feature")) + " " + text(q.path("meter_event_name"))
                + ": " + q.path("limit").asLong() + " per " + text(q.path("window"))
                + (q.hasNonNull("upgrade_plan_id") ? " (upgrade: " + text(q.path("upgrade_plan_id")) + ")" : "")));
        field(b, "quotas", quotas.isEmpty() ? List.of("none") : quotas);
        plan.path("provider_mappings").fields().forEachRemaining(e -> {
            List<String> settings = new ArrayList<>();
            e.getValue().fields().forEachRemaining(s -> settings.add(TerminalText.safe(s.getKey()) + "=" + text(s.getValue())));
            field(b, TerminalText.safe(e.getKey()), List.of(String.join(", ", settings)));
        });
    }

    /** {@code 10.00 EUR per month (1000 minor units)}; the minor units alone when the currency is unknown. */
    static String price(JsonNode p) {
        String currency = text(p.path("currency"));
        long minor = p.path("unit_amount").asLong();
        String interval = text(p.path("interval"));
        String amount;
        try {
            int digits = Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
            amount = digits < 0 ? minor + " " + currency
                    : BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            amount = minor + " " + currency + " (minor units)";
        }
        return amount + " per " + interval;
    }

    private static void field(StringBuilder b, String label, List<String> values) {
        String pad = " ".repeat(14);
        for (int i = 0; i < values.size(); i++) {
            String head = i == 0 ? "    " + label : "";
            b.append(head).append(" ".repeat(Math.max(1, pad.length() - head.length()))).append(values.get(i)).append(NL);
        }
    }

    private interface Row {
        String of(JsonNode node);
    }

    private static void rowsOrNone(StringBuilder b, JsonNode list, Row row) {
        if (list.isEmpty()) {
            b.append("  none").append(NL);
        }
        list.forEach(n -> b.append("  ").append(row.of(n)).append(NL));
    }

    private static String optional(String sep, JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "" : sep + text(v);
    }

    private static String text(JsonNode v) {
        return TerminalText.safe(v.asText());
    }
}
