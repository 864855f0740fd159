package fi.hg.bus.adapters.http.pages;

import fi.hg.bus.application.local.LocalSession;
import fi.hg.bus.application.local.ViewLocalSession;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Price;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.entitlement.BillingStatus;
import fi.hg.bus.domain.entitlement.UsageItem;
import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The local provider's pages as HTML: checkout, portal, and the short pages around them. */
final class LocalPages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private LocalPages() {
    }

    /** A whole document around {@code body}. */
    static String document(String title, String body) {
        return new Html()
                .raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .raw("<meta name=\"referrer\" content=\"same-origin\">")
                .raw("<title>").text(title).raw(" · Bus billing</title>")
                .raw("<style>").raw(PageStyle.CSS).raw("</style></head>\n<body><main><div class=\"card\">")
                .raw("<div class=\"top\"><div class=\"brand\">Bus billing</div>")
                .raw("<span class=\"badge\">local provider · no payment is taken</span></div>")
                .raw(body)
                .raw("</div></main></body></html>\n")
                .toString();
    }

    static String checkout(ViewLocalSession.View view, String token) {
        LocalSession session = view.session();
        BillingStatus status = view.status();
        Html h = new Html();
        h.element("h1", null, status.status().wireName().equals("active") ? "Change your plan" : "Set up billing");
        h.raw("<p class=\"muted\">Account <code>").text(session.accountId().toString()).raw("</code>");
        if (session.feature() != null) {
            h.raw(" · for <code>").text(session.feature()).raw("</code>");
        }
        h.raw("</p>");
        if (view.plan().isPresent() && status.status().wireName().equals("active")) {
            h.raw("<p class=\"note\">You are on <strong>").text(name(view.plan().get()))
                    .raw("</strong>. Choosing another plan changes it at once.</p>");
        }
        if (view.choices().isEmpty()) {
            h.raw("<p class=\"note\">No plan in the catalog offers ")
                    .text(session.feature() == null ? "anything" : session.feature())
                    .raw(" yet. An operator adds plans with <code>bus operator billing catalog put</code>.</p>");
            back(h, session, "Go back");
            return document("Set up billing", h.toString());
        }
        String selected = session.planId() != null ? session.planId()
                : status.recommendedPlan() != null ? status.recommendedPlan()
                : view.plan().map(Plan::id).orElse(view.choices().getFirst().id());
        h.raw("<form method=\"post\">");
        hidden(h, "csrf", token);
        plans(h, view, selected, "Choose a plan");
        h.raw("<div class=\"actions\"><button type=\"submit\">Subscribe</button>");
        h.raw("<span class=\"muted small\">This is the local provider: subscribing activates the plan at once.</span></div>");
        h.raw("</form>");
        back(h, session, "Cancel and go back");
        return document("Set up billing", h.toString());
    }

    static String portal(ViewLocalSession.View view, String token) {
        LocalSession session = view.session();
        BillingStatus status = view.status();
        Html h = new Html();
        h.element("h1", null, "Your billing");
        h.raw("<dl class=\"facts\"><dt>Account</dt><dd><code>").text(session.accountId().toString()).raw("</code></dd>");
        h.raw("<dt>Status</dt><dd><span class=\"status status-").text(status.status().wireName()).raw("\">")
                .text(status.status().wireName()).raw("</span></dd>");
        h.raw("<dt>Plan</dt><dd>");
        if (status.planId() == null) {
            h.raw("none");
        } else {
            h.text(view.plan().map(LocalPages::name).orElse(status.planId()));
            h.raw(" <code>").text(status.planId()).raw("</code>");
        }
        h.raw("</dd>");
        if (status.provider() != null) {
            h.raw("<dt>Provider</dt><dd>").text(status.provider()).raw("</dd>");
        }
        h.raw("<dt>Features</dt><dd>").text(status.features().isEmpty() ? "none enabled" : String.join(", ", status.features()))
                .raw("</dd></dl>");
        if (status.setupRequired()) {
            h.raw("<p class=\"note\">Billing is not active: choose a plan below to turn it on.</p>");
        } else if (status.upgradeRequired()) {
            h.raw("<p class=\"note\">A quota is spent");
            if (status.recommendedPlan() != null) {
                h.raw("; the recommended plan is <code>").text(status.recommendedPlan()).raw("</code>");
            }
            h.raw(".</p>");
        }

        h.element("h2", null, "Usage");
        if (status.usage().isEmpty()) {
            h.raw("<p class=\"muted\">").text(status.planId() == null ? "No plan, no quotas." : "This plan has no quotas.").raw("</p>");
        }
        Map<String, String> units = view.meters().stream().collect(Collectors.toMap(Meter::name,
                m -> m.unit() == null ? m.name() : m.unit(), (a, b) -> a));
        for (UsageItem item : status.usage()) {
            usage(h, item, units);
        }

        h.element("h2", null, "Exported usage");
        exports(h, view);

        h.element("h2", null, "Change plan");
        if (view.choices().isEmpty()) {
            h.raw("<p class=\"muted\">The catalog has no plans.</p>");
        } else {
            h.raw("<form method=\"post\">");
            hidden(h, "csrf", token);
            String selected = status.planId() != null ? status.planId() : view.choices().getFirst().id();
            plans(h, view, selected, null);
            h.raw("<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"change\">")
                    .text(status.status().wireName().equals("active") ? "Change plan" : "Subscribe").raw("</button></div></form>");
        }
        if (!status.status().wireName().equals("missing") && !status.status().wireName().equals("canceled")) {
            h.element("h2", null, "Cancel");
            h.raw("<form method=\"post\">");
            hidden(h, "csrf", token);
            h.raw("<p class=\"muted\">Features stop at once; usage stays recorded.</p>");
            h.raw("<div class=\"actions\"><button type=\"submit\" class=\"danger\" name=\"action\" value=\"cancel\">"
                    + "Cancel subscription</button></div></form>");
        }
        back(h, session, "Back");
        return document("Your billing", h.toString());
    }

    static String message(String title, String text) {
        Html h = new Html();
        h.element("h1", null, title);
        h.element("p", null, text);
        return document(title, h.toString());
    }

    static String done() {
        Html h = new Html();
        h.element("h1", null, "Billing updated");
        h.raw("<p>You can close this page and go back to the terminal: <code>bus billing status</code> shows the new state.</p>");
        return document("Billing updated", h.toString());
    }

    private static void plans(Html h, ViewLocalSession.View view, String selected, String legend) {
        Map<String, String> units = view.meters().stream().collect(Collectors.toMap(Meter::name,
                m -> m.unit() == null ? m.name() : m.unit(), (a, b) -> a));
        String current = view.status().status().wireName().equals("active") ? view.status().planId() : null;
        h.raw("<fieldset class=\"plans\">");
        if (legend != null) {
            h.raw("<legend>").text(legend).raw("</legend>");
        }
        for (Plan plan : view.choices()) {
            h.raw("<label class=\"plan\"><input type=\"radio\" name=\"plan_id\"").attr("value", plan.id());
            if (plan.id().equals(selected)) {
                h.raw(" checked");
            }
            h.raw("><span class=\"plan-name\">").text(name(plan));
            if (plan.id().equals(current)) {
                h.raw("<span class=\"current\">current</span>");
            }
            h.raw("</span><span class=\"price\">").text(price(plan)).raw("</span><ul>");
            for (String feature : plan.features()) {
                h.raw("<li>").text(feature).raw("</li>");
            }
            for (QuotaRule q : plan.quotas()) {
                h.raw("<li>").text(String.format(Locale.ROOT, "%,d", q.limit()) + " "
                        + units.getOrDefault(q.meterEventName(), q.meterEventName()) + " "
                        + (q.window().wireName().equals("total") ? "in total" : "per " + q.window().wireName())
                        + " (" + q.feature() + ")").raw("</li>");
            }
            h.raw("</ul></label>");
        }
        h.raw("</fieldset>");
    }

    private static void usage(Html h, UsageItem item, Map<String, String> units) {
        long committed = item.used() + item.reserved();
        h.raw("<div class=\"usage\"><div class=\"usage-head\"><span>").text(item.feature()).raw(" · ")
                .text(item.meterEventName()).raw(" · <strong>").text(item.window().wireName()).raw("</strong></span>")
                .raw("<span class=\"amount\">").text(String.format(Locale.ROOT, "%,d / %,d %s", item.used(), item.limit(),
                        units.getOrDefault(item.meterEventName(), ""))).raw("</span></div>");
        h.raw("<meter min=\"0\"").attr("max", Long.toString(item.limit()))
                .attr("value", Long.toString(Math.min(committed, item.limit())))
                .attr("low", Long.toString(Math.max(1, item.limit() * 7 / 10)))
                .attr("high", Long.toString(Math.max(1, item.limit() * 9 / 10)))
                .raw(" optimum=\"0\"")
                .attr("title", item.window().wireName() + ": " + item.used() + " of " + item.limit())
                .attr("data-window", item.window().wireName()).raw("></meter>");
        h.raw("<div class=\"muted small\">");
        if (item.exceeded()) {
            h.raw("<span class=\"exceeded\">Spent</span> · ");
        }
        if (item.reserved() > 0) {
            h.text(String.format(Locale.ROOT, "%,d reserved · ", item.reserved()));
        }
        h.text(item.resetsAt() == null ? "never resets" : "resets " + TIME.format(item.resetsAt()));
        h.raw("</div></div>");
    }

    private static void exports(Html h, ViewLocalSession.View view) {
        Map<ExportState, Long> counts = view.exports().counts();
        h.raw("<div class=\"counts small\">");
        for (ExportState s : ExportState.values()) {
            h.raw("<span>").text(counts.getOrDefault(s, 0L) + " " + s.wireName()).raw("</span>");
        }
        h.raw("</div>");
        if (view.exports().exports().isEmpty()) {
            h.raw("<p class=\"muted\">No usage exported yet.</p>");
            return;
        }
        h.raw("<table><thead><tr><th>When</th><th>Meter</th><th class=\"num\">Quantity</th><th>State</th></tr></thead><tbody>");
        for (UsageExport e : view.exports().exports()) {
            h.raw("<tr><td>").text(TIME.format(e.occurredAt())).raw("</td><td>").text(e.meter())
                    .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%,d", e.quantity()))
                    .raw("</td><td>").text(e.state().wireName());
            if (e.state() == ExportState.FAILED && e.lastError() != null) {
                h.raw("<div class=\"muted small\">").text(e.lastError()).raw("</div>");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        h.raw("<p class=\"muted small\">The newest ").text(Integer.toString(ViewLocalSession.EXPORTS_SHOWN)).raw(" are shown.</p>");
    }

    private static void back(Html h, LocalSession session, String label) {
        if (session.returnUrl() != null) {
            h.raw("<footer><a rel=\"noreferrer\"").attr("href", session.returnUrl().toString()).raw(">").text(label)
                    .raw("</a> <span class=\"muted small\">to ").text(session.returnUrl().origin()).raw("</span></footer>");
        } else {
            h.raw("<footer class=\"muted\">When you are done, close this page and run <code>bus billing status</code>.</footer>");
        }
    }

    private static void hidden(Html h, String name, String value) {
        h.raw("<input type=\"hidden\"").attr("name", name).attr("value", value).raw(">");
    }

    static String name(Plan plan) {
        return plan.name() == null || plan.name().isBlank() ? plan.id() : plan.name();
    }

    /** {@code 10.00 EUR / month}, the first price of a plan, or "no price". */
    static String price(Plan plan) {
        if (plan.prices().isEmpty()) {
            return "no price";
        }
        Price p = plan.prices().getFirst();
        int digits = 2;
        try {
            digits = Math.max(0, Currency.getInstance(p.currency().toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            // an unknown currency code: two decimals
        }
        String amount = BigDecimal.valueOf(p.unitAmount()).movePointLeft(digits).toPlainString();
        return amount + " " + p.currency().toUpperCase(Locale.ROOT) + " / " + p.interval();
    }

    static String time(Instant t) {
        return TIME.format(t);
    }
}
