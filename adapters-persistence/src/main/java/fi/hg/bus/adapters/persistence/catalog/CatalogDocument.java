package fi.hg.bus.adapters.persistence.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Price;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a catalog version is kept in the {@code catalogs} table: one JSON document. */
final class CatalogDocument {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CatalogDocument() {
    }

    static String write(Catalog catalog) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode products = root.putArray("products");
        catalog.products().forEach(p -> products.addObject().put("id", p.id()).put("name", p.name()));
        ArrayNode meters = root.putArray("meters");
        catalog.meters().forEach(m -> meters.addObject().put("name", m.name()).put("unit", m.unit()));
        ArrayNode plans = root.putArray("plans");
        for (Plan plan : catalog.plans()) {
            ObjectNode p = plans.addObject().put("id", plan.id()).put("name", plan.name()).put("product_id", plan.productId());
            ArrayNode features = p.putArray("features");
            plan.features().forEach(features::add);
            ArrayNode prices = p.putArray("prices");
            plan.prices().forEach(pr -> prices.addObject().put("currency", pr.currency())
                    .put("unit_amount", pr.unitAmount()).put("interval", pr.interval()));
            ArrayNode quotas = p.putArray("quotas");
            plan.quotas().forEach(q -> quotas.addObject().put("feature", q.feature())
                    .put("meter_event_name", q.meterEventName()).put("window", q.window().wireName())
                    .put("limit", q.limit()).put("upgrade_plan_id", q.upgradePlanId()));
            ObjectNode mappings = p.putObject("provider_mappings");
            plan.providerMappings().forEach((provider, settings) -> {
                ObjectNode s = mappings.putObject(provider);
                settings.forEach(s::put);
            });
        }
        return root.toString();
    }

    static Catalog read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Product> products = new ArrayList<>();
        root.path("products").forEach(p -> products.add(new Product(text(p, "id"), text(p, "name"))));
        List<Meter> meters = new ArrayList<>();
        root.path("meters").forEach(m -> meters.add(new Meter(text(m, "name"), text(m, "unit"))));
        List<Plan> plans = new ArrayList<>();
        for (JsonNode p : root.path("plans")) {
            List<String> features = new ArrayList<>();
            p.path("features").forEach(f -> features.add(f.asText()));
            List<Price> prices = new ArrayList<>();
            p.path("prices").forEach(pr -> prices.add(new Price(text(pr, "currency"), pr.path("unit_amount").asLong(),
                    text(pr, "interval"))));
            List<QuotaRule> quotas = new ArrayList<>();
            p.path("quotas").forEach(q -> quotas.add(new QuotaRule(text(q, "feature"), text(q, "meter_event_name"),
                    QuotaWindow.parse(text(q, "window")).orElseThrow(), q.path("limit").asLong(), text(q, "upgrade_plan_id"))));
            Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
            p.path("provider_mappings").fields().forEachRemaining(e -> {
                Map<String, String> settings = new LinkedHashMap<>();
                e.getValue().fields().forEachRemaining(s -> settings.put(s.getKey(), s.getValue().asText()));
                mappings.put(e.getKey(), settings);
            });
            plans.add(new Plan(text(p, "id"), text(p, "name"), text(p, "product_id"), features, prices, quotas, mappings));
        }
        return Catalog.of(products, meters, plans);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
