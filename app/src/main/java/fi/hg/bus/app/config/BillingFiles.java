package fi.hg.bus.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.billing.CatalogJson;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.metering.ExportPolicy;
import fi.hg.bus.domain.metering.ExportRule;
import fi.hg.bus.domain.usage.UsageEventType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The billing settings read from files named in the environment, checked at startup. */
public final class BillingFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BillingFiles() {
    }

    /** {@code BUS_USAGE_BILLING_EXPORT=default|file|off}, with {@code BUS_USAGE_BILLING_EXPORT_POLICY} for {@code file}. */
    public static ExportPolicy exportPolicy(Env env) {
        String mode = env.get("BUS_USAGE_BILLING_EXPORT").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("default");
        return switch (mode) {
            case "default" -> ExportPolicy.defaults();
            case "off" -> ExportPolicy.off();
            case "file" -> {
                Path file = env.get("BUS_USAGE_BILLING_EXPORT_POLICY").map(Path::of).orElseThrow(() -> new ConfigException(
                        "BUS_USAGE_BILLING_EXPORT=file needs BUS_USAGE_BILLING_EXPORT_POLICY naming the policy file"));
                yield policyFile(file);
            }
            default -> throw new ConfigException("BUS_USAGE_BILLING_EXPORT must be default, file or off");
        };
    }

    static ExportPolicy policyFile(Path file) {
        JsonNode root = readObject(file, "BUS_USAGE_BILLING_EXPORT_POLICY");
        String where = "BUS_USAGE_BILLING_EXPORT_POLICY (" + file + ")";
        onlyKeys(root, where, "", Set.of("rules"));
        JsonNode rules = root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new ConfigException(where + ": rules must be an array");
        }
        List<ExportRule> result = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            String at = "rules[" + i + "].";
            if (!r.isObject()) {
                throw new ConfigException(where + ": rules[" + i + "] must be an object");
            }
            onlyKeys(r, where, at, Set.of("event_type", "feature", "meter_event_name", "quantity_field"));
            String typeText = text(r, where, at, "event_type");
            UsageEventType type = UsageEventType.fromWireName(typeText)
                    .orElseThrow(() -> new ConfigException(where + ": " + at + "event_type: unknown event type \"" + typeText + "\""));
            if (ExportPolicy.isNeverBilled(type)) {
                throw new ConfigException(where + ": " + at + "event_type: " + typeText + " is never billed");
            }
            String field = text(r, where, at, "quantity_field");
            if (field.startsWith("data.")) {
                field = field.substring("data.".length());
            }
            result.add(ExportRule.ofField(type, text(r, where, at, "feature"), text(r, where, at, "meter_event_name"), field));
        }
        return ExportPolicy.of(result);
    }

    /** {@code BUS_BILLING_QUOTA_CONFIG}: the quotas of each plan it names, checked as far as they can be alone. */
    public static Optional<Map<String, List<QuotaRule>>> quotaFile(Env env) {
        Optional<String> name = env.get("BUS_BILLING_QUOTA_CONFIG");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(name.get());
        String where = "BUS_BILLING_QUOTA_CONFIG (" + file + ")";
        JsonNode root = readObject(file, "BUS_BILLING_QUOTA_CONFIG");
        List<String> problems = new ArrayList<>();
        Map<String, List<QuotaRule>> quotas = CatalogJson.readQuotaFile((ObjectNode) root, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(where + ": " + String.join("; ", problems));
        }
        try {
            Catalog.empty().withQuotas(quotas);
        } catch (fi.hg.bus.domain.catalog.InvalidCatalog e) {
            List<String> own = e.problems().stream().filter(p -> !p.contains("upgrade_plan_id: no plan")).toList();
            if (!own.isEmpty()) {
                throw new ConfigException(where + ": " + String.join("; ", own));
            }
        }
        return Optional.of(quotas);
    }

    private static JsonNode readObject(Path file, String variable) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(variable + ": cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(variable + ": " + file + " must hold a JSON object");
        }
        return root;
    }

    private static void onlyKeys(JsonNode node, String where, String at, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!allowed.contains(n)) {
                throw new ConfigException(where + ": " + at + n + ": unknown field");
            }
        }
    }

    private static String text(JsonNode node, String where, String at, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(where + ": " + at + field + " must be a non-empty string");
        }
        return v.asText();
    }
}
