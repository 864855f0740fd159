package fi.hg.bus.adapters.http.billing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.Fields;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.application.billing.OpenCheckout;
import fi.hg.bus.application.billing.OpenPortal;
import fi.hg.bus.application.billing.ProviderFailure;
import fi.hg.bus.application.export.ListUsageExports;
import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.export.ExportState;
import fi.hg.bus.domain.export.UsageExport;
import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The hosted setup and portal: {@code POST /api/v1/billing/checkout-session} and
 * {@code POST /api/v1/billing/portal-session} for the account in the token, and the export queue
 * for operators ({@code GET /api/internal/billing/usage-exports}). A provider that cannot be reached
 * answers 503 {@code provider_unavailable}; one that refuses answers 502 {@code provider_error}.
 */
public final class HostedBillingService implements HttpService {

    public static final String CHECKOUT = "/api/v1/billing/checkout-session";
    public static final String PORTAL = "/api/v1/billing/portal-session";
    public static final String EXPORTS = "/api/internal/billing/usage-exports";

    private static final Logger LOG = Logger.getLogger(HostedBillingService.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final int MAX_LIMIT = 1000;

    private final BearerAuth auth;
    private final OpenCheckout openCheckout;
    private final OpenPortal openPortal;
    private final ListUsageExports listExports;

    public HostedBillingService(BearerAuth auth, OpenCheckout openCheckout, OpenPortal openPortal,
                                ListUsageExports listExports) {
        this.auth = auth;
        this.openCheckout = openCheckout;
        this.openPortal = openPortal;
        this.listExports = listExports;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(CHECKOUT, this::checkout)
                .post(PORTAL, this::portal)
                .get(EXPORTS, this::exports);
        HttpApi.onlyMethods(rules, CHECKOUT, "POST");
        HttpApi.onlyMethods(rules, PORTAL, "POST");
        HttpApi.onlyMethods(rules, EXPORTS, "GET");
    }

    private void checkout(ServerRequest req, ServerResponse res) {
        Principal principal = auth.require(req, Audience.API, "billing:setup");
        UUID accountId = BillingService.accountOf(principal);
        ObjectNode body = body(req);
        Fields.onlyKeys(body, "", Set.of("account_id", "feature", "plan_id", "return_url"));
        ownAccount(body, accountId);
        String feature = id(Fields.text(body, "", "feature", false), "feature");
        String planId = id(Fields.text(body, "", "plan_id", false), "plan_id");
        ReturnUrl returnUrl = returnUrl(body);
        OpenCheckout.Result result;
        try {
            result = openCheckout.open(new OpenCheckout.Command(accountId, feature, planId, returnUrl));
        } catch (ProviderFailure e) {
            throw providerError(e);
        }
        switch (result) {
            case OpenCheckout.Result.Opened o -> session(res, o.url(), o.provider());
            case OpenCheckout.Result.Rejected r -> throw ApiError.badRequest(r.field() + ": " + r.problem());
        }
    }

    private void portal(ServerRequest req, ServerResponse res) {
        Principal principal = auth.require(req, Audience.API, "billing:read");
        UUID accountId = BillingService.accountOf(principal);
        ObjectNode body = body(req);
        Fields.onlyKeys(body, "", Set.of("account_id", "return_url"));
        ownAccount(body, accountId);
        ReturnUrl returnUrl = returnUrl(body);
        OpenPortal.Result result;
        try {
            result = openPortal.open(new OpenPortal.Command(accountId, returnUrl));
        } catch (ProviderFailure e) {
            throw providerError(e);
        }
        switch (result) {
            case OpenPortal.Result.Opened o -> session(res, o.url(), o.provider());
            case OpenPortal.Result.NotSetUp n -> throw ApiError.conflict("billing is not set up with " + n.provider()
                    + " for this account yet; run `bus billing setup` first");
        }
    }

    private void exports(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:read");
        UriQuery query = req.query();
        for (String name : query.names()) {
            if (!Set.of("account_id", "state", "limit").contains(name)) {
                throw ApiError.badRequest(name + ": unknown parameter");
            }
        }
        String account = single(query, "account_id");
        UUID accountId = account == null ? null : Fields.uuid(account, "account_id");
        List<ExportState> states = new ArrayList<>();
        String stateText = single(query, "state");
        if (stateText != null) {
            for (String s : stateText.split(",", -1)) {
                states.add(ExportState.fromWireName(s.strip()).orElseThrow(() ->
                        ApiError.badRequest("state: must be pending, exported or failed (or several, comma-separated)")));
            }
        }
        String limitText = single(query, "limit");
        int limit = 100;
        if (limitText != null) {
            if (!DIGITS.matcher(limitText).matches() || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_LIMIT) {
                throw ApiError.badRequest("limit: must be an integer from 1 to " + MAX_LIMIT);
            }
            limit = Integer.parseInt(limitText);
        }
        ListUsageExports.Listing listing = listExports.list(new UsageExports.Selection(accountId, states, limit));
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("counts");
            for (ExportState s : ExportState.values()) {
                g.writeNumberField(s.wireName(), listing.counts().getOrDefault(s, 0L));
            }
            g.writeEndObject();
            g.writeArrayFieldStart("items");
            for (UsageExport e : listing.exports()) {
                export(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    static void export(JsonGenerator g, UsageExport e) throws IOException {
        g.writeStartObject();
        g.writeStringField("idempotency_key", e.key());
        g.writeStringField("account_id", e.accountId().toString());
        g.writeStringField("feature", e.feature());
        g.writeStringField("meter_event_name", e.meter());
        g.writeNumberField("quantity", e.quantity());
        g.writeStringField("occurred_at", e.occurredAt().toString());
        g.writeStringField("state", e.state().wireName());
        g.writeNumberField("attempts", e.attempts());
        if (e.lastError() != null) {
            g.writeStringField("last_error", e.lastError());
        }
        if (e.nextAttemptAt() != null) {
            g.writeStringField("next_attempt_at", e.nextAttemptAt().toString());
        }
        if (e.provider() != null) {
            g.writeStringField("provider", e.provider());
        }
        g.writeStringField("created_at", e.createdAt().toString());
        if (e.exportedAt() != null) {
            g.writeStringField("exported_at", e.exportedAt().toString());
        }
        g.writeEndObject();
    }

    /** The JSON body; no body at all counts as {@code {}}. */
    private static ObjectNode body(ServerRequest req) {
        byte[] bytes = Bodies.json(req, Bodies.DEFAULT_LIMIT);
        return bytes.length == 0 ? Json.object() : Json.parseObject(bytes);
    }

    private static void ownAccount(ObjectNode body, UUID accountId) {
        UUID named = Fields.uuid(body, "", "account_id", false);
        if (named != null && !named.equals(accountId)) {
            throw ApiError.badRequest("account_id: a token acts only on its own account (the token's sub)");
        }
    }

    private static String id(String text, String field) {
        if (text != null && !ID.matcher(text).matches()) {
            throw ApiError.badRequest(field + ": must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        return text;
    }

    private static ReturnUrl returnUrl(ObjectNode body) {
        String text = Fields.text(body, "", "return_url", false);
        if (text == null) {
            return null;
        }
        try {
            return ReturnUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("return_url: " + e.getMessage());
        }
    }

    private static void session(ServerResponse res, URI url, String provider) {
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("url", url.toString());
            g.writeStringField("provider", provider);
            g.writeEndObject();
        }));
    }

    static ApiError providerError(ProviderFailure e) {
        LOG.log(Level.WARNING, "payment provider: " + e.getMessage(), e.getCause());
        return e.retryable()
                ? new ApiError(503, "provider_unavailable", e.getMessage())
                : new ApiError(502, "provider_error", e.getMessage());
    }

    private static String single(UriQuery query, String name) {
        if (!query.contains(name)) {
            return null;
        }
        List<String> values = query.all(name);
        if (values.size() != 1) {
            throw ApiError.badRequest(name + ": must be given once");
        }
        return values.getFirst();
    }
}
