package fi.hg.bus.adapters.http.billing;

import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.Fields;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.billing.GetBillingStatus;
import fi.hg.bus.application.catalog.ReadCatalog;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.application.quota.CheckEntitlement;
import fi.hg.bus.application.quota.ReleaseReservation;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Billing routes: the catalog, the entitlement check and reservations, subscription updates from
 * providers, and account status (the caller's own on the public route, any account's on the
 * internal one).
 */
public final class BillingService implements HttpService {

    public static final String CATALOG = "/api/internal/billing/catalog";
    public static final String CHECK = "/api/internal/billing/entitlement-check";
    public static final String RESERVATION = "/api/internal/billing/reservations/{id}";
    public static final String ACCOUNT_STATUS = "/api/internal/billing/accounts/{account_id}/status";
    public static final String SUBSCRIPTION_UPDATES = "/api/internal/billing/subscription-updates";
    public static final String PUBLIC_STATUS = "/api/v1/billing/status";

    /** The shape of feature and meter names; {@link #isFeature} checks it without running the expression. */
    static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}");
    private static final Set<String> CHECK_KEYS = Set.of("account_id", "scope", "usage", "reservation", "api_key_id");
    private static final long MAX_QUANTITY = 1L << 50;
    private static final long MAX_TTL_SECONDS = 86_400;

    private final BearerAuth auth;
    private final ServerMetrics metrics;
    private final ReadCatalog readCatalog;
    private final ReplaceCatalog replaceCatalog;
    private final CheckEntitlement checkEntitlement;
    private final ReleaseReservation releaseReservation;
    private final GetBillingStatus billingStatus;
    private final ApplySubscriptionUpdate applyUpdate;

    public BillingService(BearerAuth auth, ServerMetrics metrics, ReadCatalog readCatalog, ReplaceCatalog replaceCatalog,
                          CheckEntitlement checkEntitlement, ReleaseReservation releaseReservation,
                          GetBillingStatus billingStatus, ApplySubscriptionUpdate applyUpdate) {
        this.auth = auth;
        this.metrics = metrics;
        this.readCatalog = readCatalog;
        this.replaceCatalog = replaceCatalog;
        this.checkEntitlement = checkEntitlement;
        this.releaseReservation = releaseReservation;
        this.billingStatus = billingStatus;
        this.applyUpdate = applyUpdate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(CATALOG, this::getCatalog)
                .put(CATALOG, this::putCatalog)
                .post(CHECK, this::check)
                .delete(RESERVATION, this::release)
                .get(ACCOUNT_STATUS, this::accountStatus)
                .post(SUBSCRIPTION_UPDATES, this::subscriptionUpdate)
                .get(PUBLIC_STATUS, this::ownStatus);
        HttpApi.onlyMethods(rules, CATALOG, "GET", "PUT");
        HttpApi.onlyMethods(rules, CHECK, "POST");
        HttpApi.onlyMethods(rules, RESERVATION, "DELETE");
        HttpApi.onlyMethods(rules, ACCOUNT_STATUS, "GET");
        HttpApi.onlyMethods(rules, SUBSCRIPTION_UPDATES, "POST");
        HttpApi.onlyMethods(rules, PUBLIC_STATUS, "GET");
    }

    private void getCatalog(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:catalog:read");
        var stored = readCatalog.read();
        HttpApi.json(res, 200, Json.write(g -> CatalogJson.write(g, stored)));
    }

    private void putCatalog(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:catalog:write");
        ObjectNode body = Json.parseObject(Bodies.json(req, Bodies.DEFAULT_LIMIT));
        switch (replaceCatalog.replace(CatalogJson.read(body))) {
            case ReplaceCatalog.Result.Stored stored ->
                    HttpApi.json(res, 200, Json.write(g -> CatalogJson.write(g, stored.stored())));
            case ReplaceCatalog.Result.Rejected rejected -> throw ApiError.invalid("invalid catalog", rejected.problems());
        }
    }

    private void check(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:entitlement:check");
        ObjectNode body = Json.parseObject(Bodies.json(req, Bodies.DEFAULT_LIMIT));
        Fields.onlyKeys(body, "", CHECK_KEYS);
        UUID accountId = Fields.uuid(body, "", "account_id", true);
        String feature = feature(Fields.text(body, "", "scope", true), "scope");
        String meter = null;
        long quantity = 0;
        JsonNode usage = Fields.object(body, "", "usage", false);
        if (usage != null) {
            Fields.onlyKeys(usage, "usage.", Set.of("meter_event_name", "quantity"));
            String m = Fields.text(usage, "usage.", "meter_event_name", false);
            meter = m == null ? null : feature(m, "usage.meter_event_name");
            Long q = Fields.integer(usage, "usage.", "quantity", false, 0, MAX_QUANTITY);
            quantity = q == null ? 0 : q;
        }
        String reservationId = null;
        Duration ttl = null;
        JsonNode reservation = Fields.object(body, "", "reservation", false);
        if (reservation != null) {
            Fields.onlyKeys(reservation, "reservation.", Set.of("id", "ttl_seconds"));
            reservationId = reservationId(Fields.text(reservation, "reservation.", "id", true), "reservation.id");
            Long seconds = Fields.integer(reservation, "reservation.", "ttl_seconds", false, 1, MAX_TTL_SECONDS);
            ttl = Duration.ofSeconds(seconds == null ? 300 : seconds);
            if (quantity < 1) {
                throw ApiError.badRequest("usage.quantity: a reservation needs a quantity of at least 1 to hold");
            }
        }
        UUID apiKeyId = Fields.uuid(body, "", "api_key_id", false);
        var result = checkEntitlement.check(new CheckEntitlement.Command(accountId, feature, meter, quantity, reservationId, ttl,
                apiKeyId));
        switch (result) {
            case CheckEntitlement.Result.Decided d -> {
                metrics.entitlementDecided(BillingJson.reason(d.decision()));
                HttpApi.json(res, 200, Json.write(g -> BillingJson.decision(g, d.decision())));
            }
            case CheckEntitlement.Result.ReservationIdTaken t -> throw ApiError.conflict(
                    "reservation.id: \"" + Fields.printable(t.reservationId()) + "\" was used for another account or feature");
        }
    }

    private void release(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:entitlement:check");
        String id = reservationId(req.path().pathParameters().get("id"), "id");
        switch (releaseReservation.release(id)) {
            case ReleaseReservation.Result.Released r -> HttpApi.json(res, 200, released(id, true, "released"));
            case ReleaseReservation.Result.NotHeld n ->
                    HttpApi.json(res, 200, released(id, false, n.reservation().state().name().toLowerCase(java.util.Locale.ROOT)));
            case ReleaseReservation.Result.Unknown u -> throw ApiError.notFound("no reservation \"" + Fields.printable(id) + "\"");
        }
    }

    private static byte[] released(String id, boolean released, String state) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeBooleanField("released", released);
            g.writeStringField("state", state);
            g.writeEndObject();
        });
    }

    private void accountStatus(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:read");
        UUID accountId = Fields.uuid(req.path().pathParameters().get("account_id"), "account_id");
        HttpApi.json(res, 200, Json.write(g -> BillingJson.status(g, billingStatus.status(accountId))));
    }

    private void ownStatus(ServerRequest req, ServerResponse res) {
        Principal principal = auth.require(req, Audience.API, "billing:read");
        UUID accountId = accountOf(principal);
        HttpApi.json(res, 200, Json.write(g -> BillingJson.status(g, billingStatus.status(accountId))));
    }

    private void subscriptionUpdate(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "billing:subscriptions:write");
        ObjectNode body = Json.parseObject(Bodies.json(req, Bodies.DEFAULT_LIMIT));
        Fields.onlyKeys(body, "", Set.of("event_id", "account_id", "provider", "status", "provider_customer_id",
                "provider_subscription_id", "plan_id", "features"));
        String eventId = reservationId(Fields.text(body, "", "event_id", true), "event_id");
        UUID accountId = Fields.uuid(body, "", "account_id", true);
        String provider = feature(Fields.text(body, "", "provider", true), "provider");
        String statusText = Fields.text(body, "", "status", true);
        AccountStatus status = AccountStatus.fromWireName(statusText)
                .filter(s -> s != AccountStatus.MISSING)
                .orElseThrow(() -> ApiError.badRequest("status: must be incomplete, active, past_due or canceled"));
        String planId = Fields.text(body, "", "plan_id", false);
        if (planId != null) {
            feature(planId, "plan_id");
        }
        List<String> features = new ArrayList<>();
        JsonNode list = body.get("features");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw ApiError.badRequest("features: must be an array of strings");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) {
                    throw ApiError.badRequest("features[" + i + "]: must be a string");
                }
                features.add(feature(list.get(i).asText(), "features[" + i + "]"));
            }
        }
        String customer = limited(Fields.text(body, "", "provider_customer_id", false), "provider_customer_id");
        String subscription = limited(Fields.text(body, "", "provider_subscription_id", false), "provider_subscription_id");
        var outcome = applyUpdate.apply(new SubscriptionUpdate(eventId, accountId, provider, status, customer,
                subscription, planId, features));
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("applied", outcome == ApplySubscriptionUpdate.Outcome.APPLIED);
            g.writeBooleanField("duplicate", outcome == ApplySubscriptionUpdate.Outcome.DUPLICATE);
            g.writeEndObject();
        }));
    }

    /** The account a public route acts on: always the token's subject. */
    static UUID accountOf(Principal principal) {
        try {
            return Fields.uuid(principal.subject(), "sub");
        } catch (ApiError e) {
            throw ApiError.forbidden("the token's subject is not an account id");
        }
    }

    private static String feature(String text, String what) {
        if (!isFeature(text)) {
            throw ApiError.badRequest(what + ": must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        return text;
    }

    /**
     * Whether {@code text} is 1 to 100 of letters, digits, '.', '_', ':' and '-', starting with a
     * letter or digit (the shape of {@link #FEATURE}); read directly, as it runs for every check.
     */
    static boolean isFeature(String text) {
        int n = text.length();
        if (n < 1 || n > 100) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    private static String reservationId(String text, String what) {
        if (text == null || text.isEmpty() || text.length() > 200 || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiError.badRequest(what + ": must be 1 to 200 printable characters");
        }
        return text;
    }

    private static String limited(String text, String what) {
        if (text != null && (text.length() > 255 || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw ApiError.badRequest(what + ": must be at most 255 printable characters");
        }
        return text;
    }
}
