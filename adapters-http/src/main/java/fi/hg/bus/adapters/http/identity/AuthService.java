package fi.hg.bus.adapters.http.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.Fields;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.application.identity.CheckRevocation;
import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.application.identity.DecideIdentity;
import fi.hg.bus.application.identity.IssueApiToken;
import fi.hg.bus.application.identity.IssueServiceToken;
import fi.hg.bus.application.identity.IssuedToken;
import fi.hg.bus.application.identity.ListWaitlist;
import fi.hg.bus.application.identity.Logout;
import fi.hg.bus.application.identity.ReadIdentity;
import fi.hg.bus.application.identity.Register;
import fi.hg.bus.application.identity.RequestCode;
import fi.hg.bus.application.identity.VerifyCode;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.auth.Principal;
import fi.hg.bus.domain.auth.Scopes;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.OneTimeCode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The auth service (SPEC 6): registration, one-time codes, sessions, API tokens, the operators'
 * waitlist, and internal token issuing behind the shared key. Every route is served at its path
 * and again under {@code /local-dev/v1}, as Bus local development expects.
 */
public final class AuthService implements HttpService {

    public static final String LOCAL_DEV = "/local-dev/v1";
    public static final String REGISTER = "/api/v1/auth/register";
    public static final String OTP_REQUEST = "/api/v1/auth/otp/request";
    public static final String OTP_VERIFY = "/api/v1/auth/otp/verify";
    public static final String STATUS = "/api/v1/auth/status";
    public static final String TOKEN = "/api/v1/auth/token";
    public static final String LOGOUT = "/api/v1/auth/logout";
    public static final String WAITLIST = "/api/v1/auth/admin/waitlist";
    public static final String APPROVE = "/api/v1/auth/admin/approve";
    public static final String REJECT = "/api/v1/auth/admin/reject";
    public static final String INTERNAL_TOKEN = "/api/internal/auth/token";
    public static final String INTERNAL_KEY_HEADER = "X-Bus-Internal-Key";

    private static final Logger LOG = Logger.getLogger(AuthService.class.getName());
    private static final int BODY_LIMIT = Bodies.DEFAULT_LIMIT;
    private static final int MAX_SUBJECT = 200;

    /** The use cases of the auth service. */
    public record UseCases(Register register, RequestCode requestCode, VerifyCode verifyCode, ReadIdentity readIdentity,
                           IssueApiToken issueApiToken, Logout logout, CheckRevocation checkRevocation,
                           ListWaitlist listWaitlist, DecideIdentity decideIdentity, IssueServiceToken issueServiceToken) {
    }

    private final BearerAuth auth;
    private final UseCases uses;

    public AuthService(BearerAuth auth, UseCases uses) {
        this.auth = auth;
        this.uses = uses;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String prefix : List.of("", LOCAL_DEV)) {
            route(rules, prefix, Method.POST, REGISTER, this::register);
            route(rules, prefix, Method.POST, OTP_REQUEST, this::requestCode);
            route(rules, prefix, Method.POST, OTP_VERIFY, this::verify);
            route(rules, prefix, Method.GET, STATUS, this::status);
            route(rules, prefix, Method.POST, TOKEN, this::token);
            route(rules, prefix, Method.POST, LOGOUT, this::logout);
            route(rules, prefix, Method.GET, WAITLIST, this::waitlist);
            route(rules, prefix, Method.POST, APPROVE, (req, res) -> decide(req, res, DecideIdentity.Decision.APPROVE));
            route(rules, prefix, Method.POST, REJECT, (req, res) -> decide(req, res, DecideIdentity.Decision.REJECT));
            route(rules, prefix, Method.POST, INTERNAL_TOKEN, this::internalToken);
        }
    }

    private static void route(HttpRules rules, String prefix, Method method, String path, Handler handler) {
        rules.route(method, prefix + path, handler);
        HttpApi.onlyMethods(rules, prefix + path, method.text());
    }

    // ---- the public flow ---------------------------------------------------------------------

    private void register(ServerRequest req, ServerResponse res) {
        ObjectNode body = body(req, Set.of("email"));
        Register.Registered registered = uses.register().register(email(body));
        Identity identity = registered.identity();
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("email", identity.email().value());
            g.writeStringField("status", identity.status().wireName());
            g.writeEndObject();
        }));
    }

    private void requestCode(ServerRequest req, ServerResponse res) {
        ObjectNode body = body(req, Set.of("email"));
        EmailAddress email = email(body);
        RequestCode.Result result;
        try {
            result = uses.requestCode().request(email);
        } catch (CodeSender.NotSent e) {
            LOG.log(Level.WARNING, "a one-time code could not be sent: " + e.getMessage());
            throw new ApiError(500, "internal_error", "the one-time code could not be sent; try again later");
        }
        switch (result) {
            case RequestCode.Result.Sent sent -> HttpApi.json(res, 200, Json.write(g -> {
                g.writeStartObject();
                g.writeBooleanField("sent", true);
                g.writeStringField("email", sent.email().value());
                g.writeStringField("expires_at", sent.expiresAt().toString());
                g.writeEndObject();
            }));
            case RequestCode.Result.UnknownEmail u -> throw ApiError.notFound(
                    "no identity is registered with this email address; register it first");
            case RequestCode.Result.RateLimited limited -> {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(limited.retryAfter().toSeconds()));
                throw new ApiError(429, "rate_limited", "too many one-time codes were asked for this email address; "
                        + "try again in " + limited.retryAfter().toSeconds() + " seconds");
            }
        }
    }

    private void verify(ServerRequest req, ServerResponse res) {
        ObjectNode body = body(req, Set.of("email", "otp"));
        EmailAddress email = email(body);
        String otp = Fields.text(body, "", "otp", true);
        if (!OneTimeCode.wellFormed(otp)) {
            throw ApiError.badRequest("otp: must be a string of six digits");
        }
        switch (uses.verifyCode().verify(email, otp)) {
            case VerifyCode.Result.Verified v -> HttpApi.json(res, 200, Json.write(g -> {
                g.writeStartObject();
                tokenFields(g, v.session());
                g.writeStringField("identity_id", v.identity().id().toString());
                g.writeStringField("status", v.identity().status().wireName());
                g.writeBooleanField("email_verified", v.identity().emailVerified());
                g.writeEndObject();
            }));
            case VerifyCode.Result.Refused r -> throw ApiError.invalidAuth(switch (r.reason()) {
                case UNKNOWN_EMAIL, NO_CODE -> "no one-time code is waiting for this email address; ask for one first";
                case WRONG -> "the one-time code is wrong; " + r.triesLeft() + (r.triesLeft() == 1 ? " try" : " tries")
                        + " left before it is burned";
                case BURNED -> "the one-time code took too many wrong tries and can no longer be used; ask for a new one";
                case EXPIRED -> "the one-time code has expired; ask for a new one";
                case USED -> "the one-time code was used already; ask for a new one";
                case REPLACED -> "a newer one-time code was sent; use that one";
            });
        }
    }

    private void status(ServerRequest req, ServerResponse res) {
        Identity identity = sessionIdentity(req);
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("identity_id", identity.id().toString());
            g.writeStringField("status", identity.status().wireName());
            g.writeBooleanField("email_verified", identity.emailVerified());
            g.writeEndObject();
        }));
    }

    private void token(ServerRequest req, ServerResponse res) {
        Identity identity = sessionIdentity(req);
        ObjectNode body = body(req, Set.of("scope", "resources", "ttl_seconds"));
        Scopes scopes = scopes(body);
        Long ttl = Fields.integer(body, "", "ttl_seconds", false, 1, IssueApiToken.MAX_TTL.toSeconds());
        var result = uses.issueApiToken().issue(new IssueApiToken.Command(identity.id(), scopes,
                ttl == null ? null : Duration.ofSeconds(ttl)));
        switch (result) {
            case IssueApiToken.Result.Issued issued -> HttpApi.json(res, 200, tokenAnswer(issued.token()));
            case IssueApiToken.Result.UnknownIdentity u -> throw ApiError.invalidAuth("the session's identity no longer exists");
            case IssueApiToken.Result.NotApproved n -> throw ApiError.forbidden("the identity is " + n.status().wireName()
                    + "; API tokens are issued only after an operator approves it");
            case IssueApiToken.Result.ScopesNotAllowed s -> throw ApiError.forbidden(
                    "these scopes are not available to end users here: " + String.join(" ", s.scopes()));
        }
    }

    private void logout(ServerRequest req, ServerResponse res) {
        Session session = session(req);
        byte[] raw = Bodies.json(req, BODY_LIMIT);
        if (raw.length > 0) {
            Fields.onlyKeys(Json.parseObject(raw), "", Set.of());
        }
        uses.logout().logout(session.token(), session.principal().expiresAt());
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("revoked", true);
            g.writeEndObject();
        }));
    }

    // ---- operators ---------------------------------------------------------------------------

    private void waitlist(ServerRequest req, ServerResponse res) {
        admin(req, "waitlist:read");
        ListWaitlist.Page page = uses.listWaitlist().list();
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (Identity identity : page.identities()) {
                identity(g, identity);
            }
            g.writeEndArray();
            g.writeBooleanField("has_more", page.more());
            g.writeEndObject();
        }));
    }

    private void decide(ServerRequest req, ServerResponse res, DecideIdentity.Decision decision) {
        admin(req, "waitlist:approve");
        ObjectNode body = body(req, Set.of("email"));
        switch (uses.decideIdentity().decide(email(body), decision)) {
            case DecideIdentity.Result.Decided d -> HttpApi.json(res, 200, Json.write(g -> identity(g, d.identity())));
            case DecideIdentity.Result.UnknownEmail u ->
                    throw ApiError.notFound("no identity is registered with this email address");
        }
    }

    private void internalToken(ServerRequest req, ServerResponse res) {
        List<String> keys = req.headers().values(HeaderNames.create(INTERNAL_KEY_HEADER));
        if (keys.size() > 1) {
            throw ApiError.forbidden("more than one " + INTERNAL_KEY_HEADER + " header");
        }
        String key = keys.isEmpty() ? null : keys.getFirst().strip();
        var result = uses.issueServiceToken().issue(key, () -> serviceTokenCommand(req));
        switch (result) {
            case IssueServiceToken.Result.Issued issued -> HttpApi.json(res, 200, tokenAnswer(issued.token()));
            case IssueServiceToken.Result.Forbidden f -> throw ApiError.forbidden(f.reason());
        }
    }

    private static IssueServiceToken.Command serviceTokenCommand(ServerRequest req) {
        ObjectNode body = body(req, Set.of("subject", "audience", "scope", "resources", "ttl_seconds"));
        String subject = Fields.text(body, "", "subject", true);
        if (subject.isBlank() || subject.length() > MAX_SUBJECT || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiError.badRequest("subject: must be 1 to " + MAX_SUBJECT + " printable characters");
        }
        String audienceText = Fields.text(body, "", "audience", false);
        Audience audience = audienceText == null ? Audience.INTERNAL : Audience.fromUri(audienceText)
                .orElseThrow(() -> ApiError.badRequest("audience: must be ai.hg.fi/api, ai.hg.fi/internal or ai.hg.fi/auth"));
        Scopes scopes = scopes(body);
        Long ttl = Fields.integer(body, "", "ttl_seconds", false, 1, IssueServiceToken.MAX_TTL.toSeconds());
        return new IssueServiceToken.Command(subject, audience, scopes, ttl == null ? null : Duration.ofSeconds(ttl));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private record Session(Principal principal, String token) {
    }

    /** The caller's auth-service token: valid, of the auth audience, not signed out. */
    private Session session(ServerRequest req) {
        String token = BearerAuth.bearerToken(req);
        Principal principal = auth.require(req, Audience.AUTH);
        if (uses.checkRevocation().isRevoked(token)) {
            throw ApiError.invalidAuth("the session was signed out; sign in again");
        }
        return new Session(principal, token);
    }

    private Identity sessionIdentity(ServerRequest req) {
        Session session = session(req);
        UUID id;
        try {
            id = Fields.uuid(session.principal().subject(), "sub");
        } catch (ApiError e) {
            throw ApiError.forbidden("the token is not a session of an identity");
        }
        return uses.readIdentity().read(id)
                .orElseThrow(() -> ApiError.invalidAuth("the session's identity no longer exists"));
    }

    private void admin(ServerRequest req, String scope) {
        String token = BearerAuth.bearerToken(req);
        auth.require(req, Audience.AUTH, scope);
        if (uses.checkRevocation().isRevoked(token)) {
            throw ApiError.invalidAuth("the token was signed out");
        }
    }

    private static ObjectNode body(ServerRequest req, Set<String> keys) {
        ObjectNode body = Json.parseObject(Bodies.json(req, BODY_LIMIT));
        Fields.onlyKeys(body, "", keys);
        return body;
    }

    private static EmailAddress email(ObjectNode body) {
        String text = Fields.text(body, "", "email", true);
        try {
            return EmailAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("email: " + e.getMessage());
        }
    }

    /** {@code scope} or {@code resources}: a space-separated string or an array of strings. */
    static Scopes scopes(ObjectNode body) {
        JsonNode scope = body.get("scope");
        JsonNode resources = body.get("resources");
        boolean hasScope = scope != null && !scope.isNull();
        boolean hasResources = resources != null && !resources.isNull();
        if (hasScope && hasResources) {
            throw ApiError.badRequest("scope: give scope or resources, not both");
        }
        if (!hasScope && !hasResources) {
            throw ApiError.badRequest("scope: is required");
        }
        String field = hasScope ? "scope" : "resources";
        JsonNode value = hasScope ? scope : resources;
        StringBuilder text = new StringBuilder();
        if (value.isTextual()) {
            text.append(value.asText());
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isTextual()) {
                    throw ApiError.badRequest(field + "[" + i + "]: must be a string");
                }
                text.append(' ').append(value.get(i).asText());
            }
        } else {
            throw ApiError.badRequest(field + ": must be a space-separated string or an array of strings");
        }
        if (text.length() > 4096) {
            throw ApiError.badRequest(field + ": is too long");
        }
        Scopes scopes;
        try {
            scopes = Scopes.parse(text.toString().replace('\t', ' '));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field + ": " + e.getMessage());
        }
        if (scopes.isEmpty()) {
            throw ApiError.badRequest(field + ": at least one scope is required");
        }
        return scopes;
    }

    private static byte[] tokenAnswer(IssuedToken token) {
        return Json.write(g -> {
            g.writeStartObject();
            tokenFields(g, token);
            g.writeStringField("audience", token.audience().uri());
            g.writeStringField("scope", token.scopes().text());
            g.writeEndObject();
        });
    }

    private static void tokenFields(JsonGenerator g, IssuedToken token) throws IOException {
        g.writeStringField("access_token", token.token());
        g.writeStringField("token_type", "Bearer");
        g.writeStringField("expires_at", token.expiresAt().toString());
    }

    private static void identity(JsonGenerator g, Identity identity) throws IOException {
        g.writeStartObject();
        g.writeStringField("identity_id", identity.id().toString());
        g.writeStringField("email", identity.email().value());
        g.writeStringField("status", identity.status().wireName());
        g.writeBooleanField("email_verified", identity.emailVerified());
        g.writeStringField("created_at", identity.createdAt().toString());
        g.writeEndObject();
    }
}
