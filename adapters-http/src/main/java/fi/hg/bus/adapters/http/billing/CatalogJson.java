package fi.hg.bus.adapters.http.billing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.application.catalog.CatalogStore;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Price;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's JSON form. Reading collects every problem it meets (wrong types, unknown windows,
 * unknown keys) and goes on, so that one answer lists them all together with the domain's checks.
 */
public final class CatalogJson {

    private static final Set<String> ROOT_KEYS = Set.of("products", "meters", "plans", "version", "created_at");
    private static final Set<String> PLAN_KEYS = Set.of("id", "name", "product_id", "features", "prices", "quotas", "provider_mappings");
    private static final Set<String> QUOTA_KEYS = Set.of("feature", "meter_event_name", "window", "limit", "upgrade_plan_id");

    private CatalogJson() {
    }

    /** Reads a catalog document; {@code version} and {@code created_at}, as GET answers them, are ignored. */
    public static ReplaceCatalog.Command read(ObjectNode root) {
        Reader r = new Reader();
        r.unknownKeys(root, "", ROOT_KEYS);
        List<Product> products = new ArrayList<>();
        r.each(root, "products", "products", (node, at) -> {
            r.unknownKeys(node, at + ".", Set.of("id", "name"));
            products.add(new Product(r.text(node, at, "id", true), r.text(node, at, "name", false)));
        });
        List<Meter> meters = new ArrayList<>();
        r.each(root, "meters", "meters", (node, at) -> {
            r.unknownKeys(node, at + ".", Set.of("name", "unit"));
            meters.add(new Meter(r.text(node, at, "name", true), r.text(node, at, "unit", false)));
        });
        List<Plan> plans = new ArrayList<>();
        r.each(root, "plans", "plans", (node, at) -> plans.add(plan(r, node, at)));
        return new ReplaceCatalog.Command(products, meters, plans, r.problems);
    }

    /** Reads the quotas of each plan of a quota file: {@code {"plans":[{"id":…,"quotas":[…]}]}}. */
    public static Map<String, List<QuotaRule>> readQuotaFile(ObjectNode root, List<String> problems) {
        Reader r = new Reader();
        r.unknownKeys(root, "", Set.of("plans"));
        Map<String, List<QuotaRule>> result = new LinkedHashMap<>();
        r.each(root, "plans", "plans", (node, at) -> {
            r.unknownKeys(node, at + ".", Set.of("id", "quotas"));
            String id = r.text(node, at, "id", true);
            List<QuotaRule> quotas = new ArrayList<>();
            r.each(node, "quotas", at + ".quotas", (q, qat) -> quotas.add(quota(r, q, qat)));
            if (id != null) {
                if (result.containsKey(id)) {
                    r.problems.add(at + ".id: plan \"" + id + "\" is listed twice");
                }
                result.put(id, quotas);
            }
        });
        problems.addAll(r.problems);
        return result;
    }

    private static Plan plan(Reader r, JsonNode node, String at) {
        r.unknownKeys(node, at + ".", PLAN_KEYS);
        List<String> features = new ArrayList<>();
        r.each(node, "features", at + ".features", (f, fat) -> {
            if (f.isTextual()) {
                features.add(f.asText());
            } else {
                r.problems.add(fat + ": must be a string");
            }
        });
        List<Price> prices = new ArrayList<>();
        r.each(node, "prices", at + ".prices", (p, pat) -> {
            r.unknownKeys(p, pat + ".", Set.of("currency", "unit_amount", "interval"));
            prices.add(new Price(r.text(p, pat, "currency", true), r.integer(p, pat, "unit_amount", 0),
                    r.text(p, pat, "interval", true)));
        });
        List<QuotaRule> quotas = new ArrayList<>();
        r.each(node, "quotas", at + ".quotas", (q, qat) -> quotas.add(quota(r, q, qat)));
        Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
        JsonNode pm = node.get("provider_mappings");
        if (pm != null && !pm.isNull()) {
            if (!pm.isObject()) {
                r.problems.add(at + ".provider_mappings: must be an object");
            } else {
                pm.fields().forEachRemaining(e -> {
                    String pat = at + ".provider_mappings." + e.getKey();
                    if (!e.getValue().isObject()) {
                        r.problems.add(pat + ": must be an object of strings");
                        return;
                    }
                    Map<String, String> settings = new LinkedHashMap<>();
                    e.getValue().fields().forEachRemaining(s -> {
                        if (s.getValue().isTextual()) {
                            settings.put(s.getKey(), s.getValue().asText());
                        } else {
                            r.problems.add(pat + "." + s.getKey() + ": must be a string");
                        }
                    });
                    mappings.put(e.getKey(), settings);
                });
            }
        }
        return new Plan(r.text(node, at, "id", true), r.text(node, at, "name", false),
                r.text(node, at, "product_id", false), features, prices, quotas, mappings);
    }

    private static QuotaRule quota(Reader r, JsonNode q, String at) {
        r.unknownKeys(q, at + ".", QUOTA_KEYS);
        String windowText = r.text(q, at, "window", true);
        QuotaWindow window = null;
        if (windowText != null) {
            window = QuotaWindow.parse(windowText).orElse(null);
            if (window == null) {
                r.problems.add(at + ".window: unknown window \"" + windowText
                        + "\" (minute, hour, day, week, month or total)");
            }
        }
        return new QuotaRule(r.text(q, at, "feature", true), r.text(q, at, "meter_event_name", true), window,
                r.integer(q, at, "limit", 1), r.text(q, at, "upgrade_plan_id", false));
    }

    /** Writes the stored catalog with its version. */
    public static void write(JsonGenerator g, CatalogStore.StoredCatalog stored) throws IOException {
        g.writeStartObject();
        g.writeNumberField("version", stored.version());
        if (stored.createdAt() != null) {
            g.writeStringField("created_at", stored.createdAt().toString());
        }
        g.writeArrayFieldStart("products");
        for (Product p : stored.catalog().products()) {
            g.writeStartObject();
            g.writeStringField("id", p.id());
            optional(g, "name", p.name());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("meters");
        for (Meter m : stored.catalog().meters()) {
            g.writeStartObject();
            g.writeStringField("name", m.name());
            optional(g, "unit", m.unit());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("plans");
        for (Plan plan : stored.catalog().plans()) {
            g.writeStartObject();
            g.writeStringField("id", plan.id());
            optional(g, "name", plan.name());
            optional(g, "product_id", plan.productId());
            g.writeArrayFieldStart("features");
            for (String f : plan.features()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("prices");
            for (Price p : plan.prices()) {
                g.writeStartObject();
                g.writeStringField("currency", p.currency());
                g.writeNumberField("unit_amount", p.unitAmount());
                g.writeStringField("interval", p.interval());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("quotas");
            for (QuotaRule q : plan.quotas()) {
                g.writeStartObject();
                g.writeStringField("feature", q.feature());
                g.writeStringField("meter_event_name", q.meterEventName());
                g.writeStringField("window", q.window().wireName());
                g.writeNumberField("limit", q.limit());
                optional(g, "upgrade_plan_id", q.upgradePlanId());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("provider_mappings");
            for (var e : plan.providerMappings().entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                for (var s : e.getValue().entrySet()) {
                    g.writeStringField(s.getKey(), s.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Reads values, recording a problem for each one of the wrong type instead of stopping. */
    private static final class Reader {
        final List<String> problems = new ArrayList<>();

        interface Each {
            void accept(JsonNode node, String at);
        }

        void each(JsonNode parent, String field, String at, Each each) {
            JsonNode array = parent.get(field);
            if (array == null || array.isNull()) {
                return;
            }
            if (!array.isArray()) {
                problems.add(at + ": must be an array");
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode node = array.get(i);
                String nat = at + "[" + i + "]";
                if (!node.isObject() && !field.equals("features")) {
                    problems.add(nat + ": must be an object");
                    continue;
                }
                each.accept(node, nat);
            }
        }

        void unknownKeys(JsonNode node, String prefix, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    problems.add(prefix + name + ": unknown field");
                }
            }
        }

        String text(JsonNode node, String at, String field, boolean required) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    problems.add(at + "." + field + ": is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                problems.add(at + "." + field + ": must be a string");
                return null;
            }
            return v.asText();
        }

        long integer(JsonNode node, String at, String field, long fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                problems.add(at + "." + field + ": is required");
                return fallback;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                problems.add(at + "." + field + ": must be an integer");
                return fallback;
            }
            return v.asLong();
        }
    }
}
