package fi.hg.bus.adapters.http.billing;

import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.application.billing.ReceiveProviderEvent;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code POST /api/internal/stripe/webhook}: Stripe's events, authenticated by the
 * {@code Stripe-Signature} over the raw body (no bearer token: Stripe sends none). A bad, missing or
 * old signature is 400; an event of a type not handled here is 200 and ignored; a storage outage is
 * 503, which Stripe retries. With the local provider the route answers 404.
 */
public final class ProviderWebhookService implements HttpService {

    public static final String STRIPE_WEBHOOK = "/api/internal/stripe/webhook";
    private static final HeaderName SIGNATURE = HeaderNames.create("Stripe-Signature");
    private static final Logger LOG = Logger.getLogger(ProviderWebhookService.class.getName());

    /** Receives the events, or null when the Stripe provider is not configured. */
    private final ReceiveProviderEvent receive;

    public ProviderWebhookService(ReceiveProviderEvent receive) {
        this.receive = receive;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(STRIPE_WEBHOOK, this::webhook);
        HttpApi.onlyMethods(rules, STRIPE_WEBHOOK, "POST");
    }

    private void webhook(ServerRequest req, ServerResponse res) {
        if (receive == null) {
            throw ApiError.notFound("the Stripe webhook is not enabled: this server uses the local billing provider "
                    + "(BUS_BILLING_PROVIDER_BACKEND=local)");
        }
        List<String> signatures = req.headers().all(SIGNATURE, List::of);
        if (signatures.size() > 1) {
            throw ApiError.badRequest("Stripe-Signature: must be given once");
        }
        byte[] body = Bodies.json(req, Bodies.DEFAULT_LIMIT);
        String payload;
        try {
            payload = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("request body is not UTF-8");
        }
        String signature = signatures.isEmpty() ? null : signatures.getFirst();
        String outcome;
        String detail = null;
        switch (receive.receive(payload, signature)) {
            case ReceiveProviderEvent.Result.Rejected r -> {
                LOG.warning("Stripe webhook refused: " + r.reason());
                throw ApiError.badRequest("invalid Stripe webhook: " + r.reason());
            }
            case ReceiveProviderEvent.Result.Ignored i -> {
                outcome = "ignored";
                detail = i.why();
            }
            case ReceiveProviderEvent.Result.Applied a -> outcome = "applied";
            case ReceiveProviderEvent.Result.Duplicate d -> outcome = "duplicate";
            case ReceiveProviderEvent.Result.Stale s -> outcome = "stale";
        }
        String reason = detail;
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("received", true);
            g.writeStringField("outcome", outcome);
            if (reason != null) {
                g.writeStringField("reason", reason);
            }
            g.writeEndObject();
        }));
    }
}
