package fi.hg.bus.adapters.http;

import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import fi.hg.bus.application.storage.StorageUnavailableException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP server: every area's service on one port, errors mapped to the envelope in one place,
 * and unknown paths and methods answered in the same form.
 */
public final class HttpApi {

    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());

    private HttpApi() {
    }

    /** Builds the routing of the given services, as production and the tests use it. */
    public static HttpRouting.Builder routing(List<HttpService> services) {
        return routing(services, new ServerMetrics());
    }

    /**
     * As above, every request given an id and counted in {@code metrics} (see
     * {@link RequestObservation}).
     */
    public static HttpRouting.Builder routing(List<HttpService> services, ServerMetrics metrics) {
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(new RequestObservation(metrics));
        services.forEach(routing::register);
        routing.any((req, res) -> {
            throw ApiError.notFound("no route for " + req.prologue().method().text() + " " + req.path().path());
        });
        routing.error(ApiError.class, HttpApi::apiError)
                .error(StorageUnavailableException.class, (req, res, e) ->
                        send(res, 503, "storage_unavailable", e.getMessage()))
                .error(Throwable.class, HttpApi::unexpected);
        return routing;
    }

    /** A route a service registers: an HTTP method and a path pattern ({@code /api/v1/keys/{id}}). */
    public record Route(String method, String path) {
    }

    /**
     * The routes the given services register, read from their own {@code routing} methods (the
     * same calls the server makes), in registration order. Catch-alls ({@code any}: the 405 and 404
     * answers) are not routes. A service that registers in a way that cannot be listed here (a
     * nested service, a path matcher) fails loudly, so that the list never silently misses a route.
     */
    public static List<Route> routes(List<HttpService> services) {
        List<Route> routes = new java.util.ArrayList<>();
        HttpRules[] self = new HttpRules[1];
        self[0] = (HttpRules) java.lang.reflect.Proxy.newProxyInstance(HttpRules.class.getClassLoader(),
                new Class<?>[]{HttpRules.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    Object[] a = args == null ? new Object[0] : args;
                    switch (name) {
                        case "get", "post", "put", "delete", "head", "options", "trace", "patch" -> {
                            if (a.length == 0 || !(a[0] instanceof String path)) {
                                throw new IllegalStateException(name + " without a path cannot be listed");
                            }
                            routes.add(new Route(name.toUpperCase(java.util.Locale.ROOT), path));
                        }
                        case "route" -> {
                            if (a.length != 3 || !(a[0] instanceof io.helidon.http.Method m) || !(a[1] instanceof String path)) {
                                throw new IllegalStateException("a route that is not (method, path, handler) cannot be listed");
                            }
                            routes.add(new Route(m.text(), path));
                        }
                        case "any" -> {
                            // the 404 and 405 answers of a path, not a route of its own
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == a[0];
                        }
                        case "toString" -> {
                            return "route recorder";
                        }
                        default -> throw new IllegalStateException(name + " cannot be listed as a route");
                    }
                    return self[0];
                });
        services.forEach(service -> service.routing(self[0]));
        return List.copyOf(routes);
    }

    /** Starts a server on {@code host:port} (0: any free port). */
    public static WebServer start(String host, int port, List<HttpService> services) {
        return start(host, port, services, java.time.Duration.ofMillis(500), new ServerMetrics());
    }

    /**
     * Starts a server on {@code host:port} (0: any free port) whose requests are counted in
     * {@code metrics}; {@link WebServer#stop()} closes the port, lets requests in flight finish for at
     * most {@code shutdownGrace}, then cuts the connections that are left.
     */
    public static WebServer start(String host, int port, List<HttpService> services, java.time.Duration shutdownGrace,
                                  ServerMetrics metrics) {
        return WebServer.builder()
                .host(host)
                .port(port)
                .shutdownGracePeriod(shutdownGrace)
                .shutdownHook(false)
                .directHandlers(handlers -> transportErrors(handlers, metrics))
                .routing(routing(services, metrics))
                .build()
                .start();
    }

    /**
     * Requests that fail before routing (a malformed request line, percent-encoding, header or
     * length) are answered with the envelope too. Helidon's own message is not shown: it may quote
     * the request.
     */
    private static void transportErrors(DirectHandlers.Builder handlers, ServerMetrics metrics) {
        for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
            handlers.addHandler(event, (request, eventType, status, headers, message) -> {
                int code = status.code();
                String type = switch (code) {
                    case 403 -> "forbidden";
                    case 404 -> "not_found";
                    case 413 -> "request_body_too_large";
                    default -> code >= 500 ? "internal_error" : "bad_request";
                };
                String text = switch (type) {
                    case "request_body_too_large" -> "request body is too large";
                    case "internal_error" -> "the server failed to answer this request";
                    case "forbidden" -> "the request is not allowed";
                    case "not_found" -> "no route for the request";
                    default -> "the request is malformed (request line, percent-encoding, headers or length)";
                };
                // the request was not understood: its X-Request-Id is not trusted either
                String requestId = RequestIds.generate();
                headers.set(HeaderNames.CONTENT_TYPE, "application/json");
                headers.set(HeaderNames.CACHE_CONTROL, "no-store");
                headers.set(RequestObservation.REQUEST_ID, requestId);
                metrics.requestAnswered(request.method(), ServerMetrics.MALFORMED, code, 0);
                return DirectHandler.TransportResponse.builder()
                        .status(status)
                        .headers(headers)
                        .entity(Json.error(type, text, List.of(), requestId))
                        .build();
            });
        }
    }

    /** Answers other methods on {@code path} with 405 naming the allowed ones. */
    public static void onlyMethods(HttpRules rules, String path, String... allowed) {
        String allow = String.join(", ", allowed);
        rules.any(path, (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            throw ApiError.methodNotAllowed("method " + req.prologue().method().text() + " is not allowed here; use " + allow);
        });
    }

    public static void json(ServerResponse res, int status, byte[] body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }

    private static void apiError(ServerRequest req, ServerResponse res, ApiError e) {
        if (!res.isSent()) {
            json(res, e.status(), Json.error(e.type(), e.getMessage(), e.problems()));
        }
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        LOG.log(Level.SEVERE, "request " + req.prologue().method().text() + " " + req.path().path() + " failed", e);
        send(res, 500, "internal_error", "the server failed to answer this request");
    }

    private static void send(ServerResponse res, int status, String type, String message) {
        if (res.isSent()) {
            return;
        }
        json(res, status, Json.error(type, message));
    }
}
