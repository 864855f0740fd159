package fi.hg.bus.adapters.http;

import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;

/**
 * The first filter of every request: gives it an id (the caller's {@code X-Request-Id} when safe,
 * else a new one) that the answer repeats in its header, error envelopes and log lines carry; and
 * counts it by method, route pattern and status, with its duration. Error handlers run inside
 * {@link FilterChain#proceed()}, so their envelopes and log lines see the id too.
 */
final class RequestObservation implements Filter {

    static final HeaderName REQUEST_ID = HeaderNames.create(RequestIds.HEADER);

    private final ServerMetrics metrics;

    RequestObservation(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String id = RequestIds.accept(incoming(req));
        res.header(REQUEST_ID, id);
        RequestIds.set(id);
        metrics.requestStarted();
        try {
            chain.proceed();
        } finally {
            RequestIds.clear();
            String route = req.matchingPattern().filter(p -> !p.isEmpty()).orElse(ServerMetrics.UNMATCHED);
            int status = res.isSent() ? res.status().code() : 500;
            metrics.requestFinished(req.prologue().method().text(), route, status, System.nanoTime() - start);
        }
    }

    /** The one {@code X-Request-Id} of the request; several count as none. */
    private static String incoming(RoutingRequest req) {
        List<String> values = req.headers().all(REQUEST_ID, List::of);
        return values.size() == 1 ? values.get(0) : null;
    }
}
