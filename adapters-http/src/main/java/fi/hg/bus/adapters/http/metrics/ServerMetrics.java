package fi.hg.bus.adapters.http.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics of {@code bus serve}: HTTP requests by route pattern, entitlement decisions, usage
 * recorded and usage exports. Every label value comes from a fixed set or from the routing table,
 * never from request input, so that no caller can grow the series or read secrets in them.
 */
public final class ServerMetrics {

    /** Latency buckets in seconds, from 1 ms to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The route label of a request that matched no route. */
    public static final String UNMATCHED = "unmatched";

    /** The route label of a request rejected before routing (a malformed request line or header). */
    public static final String MALFORMED = "malformed";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** The reasons an entitlement check answers, and whether each allows. */
    private static final Map<String, Boolean> REASONS = Map.of(
            "billing_active", true,
            "billing_required", false,
            "quota_exceeded", false,
            "api_key_invalid", false,
            "api_key_quota_exceeded", false);

    private final MetricRegistry registry = new MetricRegistry();
    private final Counter requests = registry.counter("bus_http_requests_total",
            "HTTP requests answered, by method, route pattern and status code.", "method", "route", "status");
    private final Histogram latency = registry.histogram("bus_http_request_duration_seconds",
            "Time from routing a request to having answered it, by method and route pattern.", LATENCY_BUCKETS,
            "method", "route");
    private final Gauge inFlight = registry.gauge("bus_http_requests_in_flight", "HTTP requests being answered now.");
    private final Counter decisions = registry.counter("bus_entitlement_decisions_total",
            "Entitlement checks answered, by whether they allowed and the reason.", "allowed", "reason");
    private final Map<String, LongAdder> decisionsByReason;
    private final Counter usage = registry.counter("bus_usage_events_total",
            "Usage records received: accepted (stored) or duplicate (event_id seen before).", "outcome");
    private final LongAdder usageAccepted = usage.labels("accepted");
    private final LongAdder usageDuplicates = usage.labels("duplicate");
    private final Counter exports = registry.counter("bus_usage_export_attempts_total",
            "Attempts of this replica to export usage to the payment provider, by outcome (exported or failed).",
            "outcome");
    private final LongAdder exported = exports.labels("exported");
    private final LongAdder exportFailed = exports.labels("failed");

    public ServerMetrics() {
        Map<String, LongAdder> byReason = new java.util.HashMap<>();
        REASONS.forEach((reason, allowed) -> byReason.put(reason, decisions.labels(String.valueOf(allowed), reason)));
        decisionsByReason = Map.copyOf(byReason);
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Called as a request starts being answered. */
    public void requestStarted() {
        inFlight.increment();
    }

    /**
     * Called once a request was answered; {@code route} is the matched route pattern (or
     * {@link #UNMATCHED}), never the request's own path.
     */
    public void requestFinished(String method, String route, int status, long nanos) {
        inFlight.decrement();
        requestAnswered(method, route, status, nanos);
    }

    /** A request answered without going through routing (a malformed request). */
    public void requestAnswered(String method, String route, int status, long nanos) {
        String m = method(method);
        requests.labels(m, route, Integer.toString(status)).increment();
        latency.labels(m, route).observe(nanos / 1e9);
    }

    /** A method outside the standard ones is counted as {@code OTHER}: methods are request input. */
    static String method(String method) {
        if (method == null) {
            return "OTHER";
        }
        if (METHODS.contains(method)) {
            return method;
        }
        String upper = method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : "OTHER";
    }

    /** An entitlement check answered with {@code reason} (one of the check's reasons). */
    public void entitlementDecided(String reason) {
        LongAdder counter = decisionsByReason.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("not an entitlement reason: " + reason);
        }
        counter.increment();
    }

    public void usageRecorded(long accepted, long duplicates) {
        usageAccepted.add(accepted);
        usageDuplicates.add(duplicates);
    }

    /** What one pass of the export worker did. */
    public void exportsAttempted(long exportedCount, long failedCount) {
        exported.add(exportedCount);
        exportFailed.add(failedCount);
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
