package fi.hg.bus.adapters.http.billing;

import com.fasterxml.jackson.core.JsonGenerator;
import fi.hg.bus.domain.entitlement.BillingStatus;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.entitlement.UsageItem;

import java.io.IOException;

/** The JSON of billing answers: status, usage items and entitlement decisions. */
public final class BillingJson {

    private BillingJson() {
    }

    public static void usageItem(JsonGenerator g, UsageItem item) throws IOException {
        g.writeStartObject();
        g.writeStringField("feature", item.feature());
        g.writeStringField("meter_event_name", item.meterEventName());
        g.writeStringField("window", item.window().wireName());
        g.writeNumberField("used", item.used());
        g.writeNumberField("limit", item.limit());
        g.writeNumberField("remaining", item.remaining());
        g.writeBooleanField("exceeded", item.exceeded());
        if (item.upgradePlanId() != null) {
            g.writeStringField("upgrade_plan_id", item.upgradePlanId());
        }
        if (item.resetsAt() != null) {
            g.writeStringField("resets_at", item.resetsAt().toString());
        }
        g.writeNumberField("reserved", item.reserved());
        g.writeEndObject();
    }

    public static void status(JsonGenerator g, BillingStatus s) throws IOException {
        g.writeStartObject();
        g.writeStringField("account_id", s.accountId().toString());
        g.writeStringField("status", s.status().wireName());
        g.writeArrayFieldStart("features");
        for (String f : s.features()) {
            g.writeString(f);
        }
        g.writeEndArray();
        optional(g, "provider", s.provider());
        optional(g, "plan_id", s.planId());
        if (!s.usage().isEmpty()) {
            g.writeArrayFieldStart("usage");
            for (UsageItem item : s.usage()) {
                usageItem(g, item);
            }
            g.writeEndArray();
        }
        g.writeBooleanField("setup_required", s.setupRequired());
        g.writeBooleanField("upgrade_required", s.upgradeRequired());
        optional(g, "next_action", s.nextAction());
        optional(g, "command", s.command());
        optional(g, "recommended_plan", s.recommendedPlan());
        g.writeEndObject();
    }

    /** The {@code reason} of a decision's answer. */
    public static String reason(EntitlementDecision decision) {
        return switch (decision) {
            case EntitlementDecision.Allowed a -> "billing_active";
            case EntitlementDecision.BillingRequired b -> "billing_required";
            case EntitlementDecision.QuotaExceeded q -> "quota_exceeded";
            case EntitlementDecision.ApiKeyInvalid k -> "api_key_invalid";
            case EntitlementDecision.ApiKeyQuotaExceeded k -> "api_key_quota_exceeded";
        };
    }

    public static void decision(JsonGenerator g, EntitlementDecision decision) throws IOException {
        g.writeStartObject();
        switch (decision) {
            case EntitlementDecision.Allowed a -> {
                g.writeBooleanField("allowed", true);
                g.writeStringField("reason", reason(decision));
                optional(g, "plan_id", a.planId());
            }
            case EntitlementDecision.BillingRequired b -> {
                g.writeBooleanField("allowed", false);
                g.writeStringField("reason", reason(decision));
                g.writeStringField("command", BillingStatus.SETUP_COMMAND);
            }
            case EntitlementDecision.QuotaExceeded q -> {
                g.writeBooleanField("allowed", false);
                g.writeStringField("reason", reason(decision));
                g.writeStringField("command", BillingStatus.SETUP_COMMAND);
                optional(g, "plan_id", q.planId());
                optional(g, "recommended_plan", q.recommendedPlan());
                g.writeFieldName("usage");
                usageItem(g, q.item());
            }
            case EntitlementDecision.ApiKeyInvalid k -> {
                g.writeBooleanField("allowed", false);
                g.writeStringField("reason", reason(decision));
            }
            case EntitlementDecision.ApiKeyQuotaExceeded k -> {
                g.writeBooleanField("allowed", false);
                g.writeStringField("reason", reason(decision));
                g.writeStringField("api_key_id", k.apiKeyId().toString());
                g.writeFieldName("usage");
                usageItem(g, k.item());
            }
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
