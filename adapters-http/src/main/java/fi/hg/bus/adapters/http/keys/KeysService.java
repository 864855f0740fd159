package fi.hg.bus.adapters.http.keys;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.Fields;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.adapters.http.Rfc3339;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.application.keys.CreateKey;
import fi.hg.bus.application.keys.KeyView;
import fi.hg.bus.application.keys.ListKeys;
import fi.hg.bus.application.keys.RevokeKey;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The end user's API keys: {@code POST /api/v1/keys} (scope {@code keys:write}) makes one and
 * answers its secret this once; {@code GET} (scope {@code keys:read}) lists them without secrets;
 * {@code DELETE /api/v1/keys/{id}} (scope {@code keys:write}) revokes one. Always the keys of the
 * token's {@code sub}.
 */
public final class KeysService implements HttpService {

    public static final String KEYS = "/api/v1/keys";
    public static final String KEY = "/api/v1/keys/{id}";

    /** The largest whole number every JSON client reads exactly (2^53 - 1). */
    private static final long MAX_LIMIT = 9_007_199_254_740_991L;
    private static final Set<String> CREATE_KEYS = Set.of("name", "quota_limit", "unlimited", "expires_at");

    private final BearerAuth auth;
    private final CreateKey createKey;
    private final ListKeys listKeys;
    private final RevokeKey revokeKey;

    public KeysService(BearerAuth auth, CreateKey createKey, ListKeys listKeys, RevokeKey revokeKey) {
        this.auth = auth;
        this.createKey = createKey;
        this.listKeys = listKeys;
        this.revokeKey = revokeKey;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(KEYS, this::create)
                .get(KEYS, this::list)
                .delete(KEY, this::revoke);
        HttpApi.onlyMethods(rules, KEYS, "GET", "POST");
        HttpApi.onlyMethods(rules, KEY, "DELETE");
    }

    private void create(ServerRequest req, ServerResponse res) {
        UUID account = accountOf(auth.require(req, Audience.API, "keys:write"));
        ObjectNode body = Json.parseObject(Bodies.json(req, Bodies.DEFAULT_LIMIT));
        Fields.onlyKeys(body, "", CREATE_KEYS);
        String name = Fields.text(body, "", "name", true);
        Long limit = Fields.integer(body, "", "quota_limit", false, 1, MAX_LIMIT);
        Boolean unlimited = bool(body, "unlimited");
        if (Boolean.TRUE.equals(unlimited) && limit != null) {
            throw ApiError.badRequest("unlimited: a key with a quota_limit is not unlimited; give one of them");
        }
        if (Boolean.FALSE.equals(unlimited) && limit == null) {
            throw ApiError.badRequest("quota_limit: is required when unlimited is false");
        }
        String expiresText = Fields.text(body, "", "expires_at", false);
        Instant expiresAt = null;
        if (expiresText != null) {
            try {
                expiresAt = Rfc3339.parse(expiresText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("expires_at: " + e.getMessage() + ", e.g. 2027-01-01T00:00:00Z");
            }
        }
        switch (createKey.create(new CreateKey.Command(account, name, limit, expiresAt))) {
            case CreateKey.Result.Created created -> HttpApi.json(res, 200, Json.write(g -> {
                g.writeStartObject();
                fields(g, created.key());
                g.writeStringField("key", created.secret());
                g.writeEndObject();
            }));
            case CreateKey.Result.Rejected rejected -> throw ApiError.badRequest(rejected.field() + ": " + rejected.problem());
            case CreateKey.Result.TooManyKeys tooMany -> throw ApiError.conflict("the account already has "
                    + tooMany.max() + " keys that are not revoked; revoke some first (DELETE " + KEYS + "/{id})");
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        UUID account = accountOf(auth.require(req, Audience.API, "keys:read"));
        ListKeys.Page page = listKeys.list(account);
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("keys");
            for (KeyView key : page.keys()) {
                g.writeStartObject();
                fields(g, key);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("has_more", page.hasMore());
            g.writeEndObject();
        }));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        UUID account = accountOf(auth.require(req, Audience.API, "keys:write"));
        String idText = req.path().pathParameters().get("id");
        UUID id = Fields.uuid(idText, "id");
        switch (revokeKey.revoke(account, id)) {
            case RevokeKey.Result.Revoked revoked -> HttpApi.json(res, 200, Json.write(g -> {
                g.writeStartObject();
                fields(g, revoked.key());
                g.writeEndObject();
            }));
            case RevokeKey.Result.NotFound n -> throw ApiError.notFound("no key " + id + " among this account's keys");
        }
    }

    /** A key's fields, never its secret. */
    private static void fields(JsonGenerator g, KeyView view) throws IOException {
        var key = view.key();
        g.writeStringField("id", key.id().toString());
        g.writeStringField("name", key.name());
        g.writeStringField("prefix", key.prefix());
        g.writeStringField("status", view.status().wireName());
        g.writeBooleanField("unlimited", key.unlimited());
        if (key.quotaLimit() != null) {
            g.writeNumberField("quota_limit", key.quotaLimit());
        }
        g.writeNumberField("used", view.used());
        if (view.remaining() != null) {
            g.writeNumberField("remaining", view.remaining());
        }
        g.writeStringField("meter_event_name", view.meter());
        if (key.expiresAt() != null) {
            g.writeStringField("expires_at", key.expiresAt().toString());
        }
        g.writeStringField("created_at", key.createdAt().toString());
        if (key.revokedAt() != null) {
            g.writeStringField("revoked_at", key.revokedAt().toString());
        }
    }

    private static Boolean bool(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiError.badRequest(name + ": must be true or false");
        }
        return v.booleanValue();
    }

    /** The account a public route acts on: always the token's subject. */
    private static UUID accountOf(Principal principal) {
        try {
            return Fields.uuid(principal.subject(), "sub");
        } catch (ApiError e) {
            throw ApiError.forbidden("the token's subject is not an account id");
        }
    }
}
