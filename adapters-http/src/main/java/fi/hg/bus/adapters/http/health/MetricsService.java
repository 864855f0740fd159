package fi.hg.bus.adapters.http.health;

import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.metrics.MetricRegistry;
import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format. Open like {@code /healthz}
 * unless a token is configured; then only {@code Authorization: Bearer <token>} reads it.
 */
public final class MetricsService implements HttpService {

    public static final String PATH = "/metrics";

    private final ServerMetrics metrics;
    private final Optional<byte[]> token;

    public MetricsService(ServerMetrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::scrape);
        HttpApi.onlyMethods(rules, PATH, "GET");
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        if (token.isPresent()) {
            List<String> authorization = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
            if (authorization.isEmpty()) {
                throw ApiError.invalidAuth("missing bearer token");
            }
            String value = authorization.size() == 1 ? authorization.get(0) : "";
            byte[] given = value.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? value.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, token.get())) {
                throw ApiError.invalidAuth("the metrics token is not valid");
            }
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, MetricRegistry.CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }
}
