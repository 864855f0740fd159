package fi.hg.bus.app.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small Stripe-compatible HTTP server for the tests: the only stand-in the tests use. It speaks
 * Stripe's wire format (form-encoded requests, JSON objects and lists, Stripe's error envelope),
 * checks the secret key, keeps idempotency keys the way Stripe does (a repeat with the same key and
 * body gets the first answer back, without doing anything again; with another body it is an
 * {@code idempotency_error}), records every request for the tests to inspect, and can be told to
 * fail or to answer late.
 */
final class FakeStripe implements AutoCloseable {

    static final String KEY = "sk_test_fakestripe0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String method, String path, Map<String, String> params, Map<String, String> headers, boolean replayed) {
        String param(String name) {
            return params.get(name);
        }

        String idempotencyKey() {
            return headers.get("idempotency-key");
        }
    }

    /** A planned failure: the next {@code times} requests that match answer {@code status} with this error. */
    private record Fault(Predicate<Request> matches, int status, String type, String code, String message, AtomicInteger times,
                         long delayMillis) {
    }

    private record Stored(String bodyKey, int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Stored> idempotency = new HashMap<>();
    private final Map<String, ObjectNode> customers = new LinkedHashMap<>();
    private final Map<String, ObjectNode> products = new LinkedHashMap<>();
    private final Map<String, ObjectNode> prices = new LinkedHashMap<>();
    private final Map<String, ObjectNode> meters = new LinkedHashMap<>();
    private final List<ObjectNode> meterEvents = new ArrayList<>();
    private int duplicateIdentifiers;
    private int next = 1;

    private FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeStripe start() {
        try {
            return new FakeStripe();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- what the tests arrange --------------------------------------------------------------------

    /** A price that exists in Stripe, found by its lookup key. */
    synchronized String addPrice(String lookupKey, long amount) {
        ObjectNode p = price("prod_fake", "eur", amount, "month", lookupKey);
        return p.get("id").asText();
    }

    /** The next {@code times} requests to {@code path} fail with this HTTP status and Stripe error. */
    synchronized void fail(String method, String path, int times, int status, String type, String code, String message) {
        faults.add(new Fault(r -> r.method().equals(method) && r.path().equals(path), status, type, code, message,
                new AtomicInteger(times), 0));
    }

    /** The next {@code times} requests to {@code path} are done, but answered only after {@code millis}. */
    synchronized void slow(String method, String path, int times, long millis) {
        faults.add(new Fault(r -> r.method().equals(method) && r.path().equals(path), 0, null, null, null,
                new AtomicInteger(times), millis));
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    // ---- what the tests inspect --------------------------------------------------------------------

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** The meter events Stripe took (a replayed idempotent request is not taken again). */
    synchronized List<ObjectNode> meterEvents() {
        return List.copyOf(meterEvents);
    }

    /** Meter events that came again with an identifier Stripe had taken (under another idempotency key). */
    synchronized int duplicateIdentifiers() {
        return duplicateIdentifiers;
    }

    synchronized int customerCount() {
        return customers.size();
    }

    // ---- the server ---------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = new LinkedHashMap<>(form(exchange.getRequestURI().getRawQuery()));
            params.putAll(form(body));
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            String idempotencyKey = headers.get("idempotency-key");
            Fault fault;
            Stored replay = null;
            String answer;
            int status;
            synchronized (this) {
                if (idempotencyKey != null && method.equals("POST")) {
                    replay = idempotency.get(idempotencyKey);
                }
                Request request = new Request(method, path, Map.copyOf(params), Map.copyOf(headers),
                        replay != null && replay.bodyKey().equals(path + "?" + body));
                requests.add(request);
                fault = faults.stream().filter(f -> f.times().get() > 0 && f.matches().test(request)).findFirst().orElse(null);
                if (fault != null) {
                    fault.times().decrementAndGet();
                }
                if (!("Bearer " + KEY).equals(headers.get("authorization"))) {
                    status = 401;
                    answer = error("invalid_request_error", null, "Invalid API Key provided: " + mask(headers.get("authorization")));
                } else if (replay != null && !replay.bodyKey().equals(path + "?" + body)) {
                    status = 400;
                    answer = error("idempotency_error", null, "Keys for idempotent requests can only be used with the same "
                            + "parameters they were first used with.");
                } else if (replay != null) {
                    status = replay.status();
                    answer = replay.body();
                } else if (fault != null && fault.status() != 0) {
                    status = fault.status();
                    answer = error(fault.type(), fault.code(), fault.message());
                    if (idempotencyKey != null && method.equals("POST") && status == 500) {
                        // Stripe keeps the answer of a request that began, 500s included, for its key
                        idempotency.put(idempotencyKey, new Stored(path + "?" + body, status, answer));
                    }
                } else {
                    ObjectNode result;
                    try {
                        result = route(method, path, params);
                        status = result == null ? 404 : 200;
                        answer = result == null ? error("invalid_request_error", "resource_missing",
                                "No such resource: '" + path + "'") : JSON.writeValueAsString(result);
                    } catch (IllegalArgumentException e) {
                        status = 400;
                        answer = error("invalid_request_error", "parameter_missing", e.getMessage());
                    }
                    if (idempotencyKey != null && method.equals("POST")) {
                        idempotency.put(idempotencyKey, new Stored(path + "?" + body, status, answer));
                    }
                }
            }
            if (fault != null && fault.delayMillis() > 0) {
                try {
                    Thread.sleep(fault.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_fake" + System.nanoTime());
            if (replay != null) {
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
            }
            try {
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException clientGone) {
                // the client stopped waiting (a timeout test): the request was done all the same
            }
        }
    }

    /** Serves one request of the Stripe API; null: no such object (404). */
    private ObjectNode route(String method, String path, Map<String, String> p) {
        String[] parts = path.split("/");
        switch (method + " " + path) {
            case "GET /v1/balance" -> {
                ObjectNode b = object("balance", null);
                b.putArray("available");
                b.putArray("pending");
                return b;
            }
            case "POST /v1/customers" -> {
                ObjectNode c = object("customer", "cus_");
                c.set("metadata", metadata(p, "metadata"));
                c.put("description", p.get("description"));
                customers.put(c.get("id").asText(), c);
                return c;
            }
            case "GET /v1/prices" -> {
                List<ObjectNode> found = new ArrayList<>();
                for (ObjectNode price : prices.values()) {
                    boolean keyMatches = p.entrySet().stream().noneMatch(e -> e.getKey().startsWith("lookup_keys["))
                            || p.entrySet().stream().anyMatch(e -> e.getKey().startsWith("lookup_keys[")
                            && e.getValue().equals(price.path("lookup_key").asText(null)));
                    boolean activeMatches = p.get("active") == null || p.get("active").equals(price.get("active").asText());
                    if (keyMatches && activeMatches) {
                        found.add(price);
                    }
                }
                return list("/v1/prices", found);
            }
            case "POST /v1/prices" -> {
                String key = p.get("lookup_key");
                if (key != null) {
                    for (ObjectNode other : prices.values()) {
                        if (key.equals(other.path("lookup_key").asText(null))) {
                            if (!"true".equals(p.get("transfer_lookup_key"))) {
                                throw new IllegalArgumentException("A price (" + other.get("id").asText()
                                        + ") already uses that lookup key.");
                            }
                            other.putNull("lookup_key");
                        }
                    }
                }
                ObjectNode created = price(require(p, "product"), require(p, "currency"), Long.parseLong(require(p, "unit_amount")),
                        require(p, "recurring[interval]"), key);
                created.set("metadata", metadata(p, "metadata"));
                return created;
            }
            case "POST /v1/products" -> {
                String id = p.getOrDefault("id", "prod_" + next++);
                ObjectNode product = object("product", null);
                product.put("id", id);
                product.put("name", require(p, "name"));
                product.put("active", true);
                product.set("metadata", metadata(p, "metadata"));
                products.put(id, product);
                return product;
            }
            case "GET /v1/billing/meters" -> {
                return list("/v1/billing/meters", new ArrayList<>(meters.values()));
            }
            case "POST /v1/billing/meters" -> {
                ObjectNode meter = object("billing.meter", "mtr_");
                meter.put("event_name", require(p, "event_name"));
                meter.put("display_name", require(p, "display_name"));
                meter.put("status", "active");
                meter.putObject("default_aggregation").put("formula", require(p, "default_aggregation[formula]"));
                meter.putObject("customer_mapping").put("event_payload_key", p.get("customer_mapping[event_payload_key]"))
                        .put("type", p.get("customer_mapping[type]"));
                meter.putObject("value_settings").put("event_payload_key", p.get("value_settings[event_payload_key]"));
                meters.put(meter.get("id").asText(), meter);
                return meter;
            }
            case "POST /v1/checkout/sessions" -> {
                ObjectNode s = object("checkout.session", "cs_test_");
                s.put("mode", require(p, "mode"));
                s.put("customer", p.get("customer"));
                s.put("client_reference_id", p.get("client_reference_id"));
                s.put("success_url", p.get("success_url"));
                s.put("status", "open");
                s.put("url", "https://checkout.stripe.test/c/pay/" + s.get("id").asText());
                s.set("metadata", metadata(p, "metadata"));
                require(p, "line_items[0][price]");
                return s;
            }
            case "POST /v1/billing_portal/sessions" -> {
                ObjectNode s = object("billing_portal.session", "bps_");
                s.put("customer", require(p, "customer"));
                s.put("return_url", p.get("return_url"));
                s.put("url", "https://billing.stripe.test/p/session/" + s.get("id").asText());
                return s;
            }
            case "POST /v1/billing/meter_events" -> {
                ObjectNode e = object("billing.meter_event", null);
                e.put("event_name", require(p, "event_name"));
                e.put("identifier", p.get("identifier"));
                e.set("payload", metadata(p, "payload"));
                e.put("timestamp", Long.parseLong(p.getOrDefault("timestamp", "0")));
                String identifier = p.get("identifier");
                if (identifier != null && meterEvents.stream().anyMatch(m -> identifier.equals(m.path("identifier").asText()))) {
                    duplicateIdentifiers++;   // Stripe keeps identifiers unique: the repeat is not counted again
                } else {
                    meterEvents.add(e);
                }
                return e;
            }
            default -> {
                if (parts.length == 4 && parts[2].equals("products") && method.equals("GET")) {
                    return products.get(parts[3]);
                }
                if (parts.length == 4 && parts[2].equals("products") && method.equals("POST")) {
                    ObjectNode product = products.get(parts[3]);
                    if (product != null && p.get("name") != null) {
                        product.put("name", p.get("name"));
                        product.put("active", true);
                    }
                    return product;
                }
                if (parts.length == 6 && parts[3].equals("meters") && parts[5].equals("reactivate")) {
                    ObjectNode meter = meters.get(parts[4]);
                    if (meter != null) {
                        meter.put("status", "active");
                    }
                    return meter;
                }
                return null;
            }
        }
    }

    private ObjectNode price(String product, String currency, long amount, String interval, String lookupKey) {
        ObjectNode price = object("price", "price_");
        price.put("product", product);
        price.put("currency", currency);
        price.put("unit_amount", amount);
        price.put("active", true);
        price.put("type", "recurring");
        price.putObject("recurring").put("interval", interval).put("interval_count", 1);
        if (lookupKey == null) {
            price.putNull("lookup_key");
        } else {
            price.put("lookup_key", lookupKey);
        }
        prices.put(price.get("id").asText(), price);
        return price;
    }

    private ObjectNode object(String type, String prefix) {
        ObjectNode o = JSON.createObjectNode();
        if (prefix != null) {
            o.put("id", prefix + "fake" + (next++));
        }
        o.put("object", type);
        o.put("livemode", false);
        o.put("created", System.currentTimeMillis() / 1000);
        return o;
    }

    private static ObjectNode list(String url, List<ObjectNode> data) {
        ObjectNode l = JSON.createObjectNode();
        l.put("object", "list");
        ArrayNode items = l.putArray("data");
        data.forEach(items::add);
        l.put("has_more", false);
        l.put("url", url);
        return l;
    }

    private static ObjectNode metadata(Map<String, String> p, String name) {
        ObjectNode m = JSON.createObjectNode();
        p.forEach((k, v) -> {
            if (k.startsWith(name + "[") && k.endsWith("]") && k.indexOf('[', name.length() + 1) < 0) {
                m.put(k.substring(name.length() + 1, k.length() - 1), v);
            }
        });
        return m;
    }

    private static String require(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("Missing required param: " + name + ".");
        }
        return v;
    }

    private static String error(String type, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("type", type);
        if (code != null) {
            e.put("code", code);
        }
        e.put("message", message);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String mask(String authorization) {
        if (authorization == null) {
            return "none";
        }
        String key = authorization.replaceFirst("^Bearer ", "");
        return key.length() > 12 ? key.substring(0, 8) + "*".repeat(key.length() - 12) + key.substring(key.length() - 4) : "****";
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
