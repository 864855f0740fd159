package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.docs.ApiDocsService;
import fi.hg.bus.app.e2e.OpenApi.Operation;
import fi.hg.bus.app.e2e.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /openapi.yaml} against the real routing: the routes the server registers and the
 * operations the document describes are the same set, every described operation is served (no
 * router 404 or 405), every method the document does not describe on a path is 405, and the
 * document holds together (references resolve, security schemes exist, ids are unique).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private TestServer server;
    private OpenApi api;

    @BeforeAll
    void start() {
        server = TestServer.start();
        Response r = server.send(server.request(ApiDocsService.PATH).GET().build());
        assertEquals(200, r.status());
        assertEquals("application/yaml", r.contentType());
        assertEquals(new String(ApiDocsService.document(), StandardCharsets.UTF_8), r.body());
        api = OpenApi.parse(r.body());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Set<String> names(List<String> list) {
        return new TreeSet<>(list);
    }

    @Test
    void everyRouteTheServerRegistersIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> registered = new TreeSet<>();
        for (HttpApi.Route route : server.routes()) {
            registered.add(route.method() + " " + route.path());
        }
        Set<String> documented = new TreeSet<>();
        for (Operation op : api.operations()) {
            assertTrue(documented.add(op.toString()), "described twice: " + op);
        }
        assertTrue(registered.size() > 40, "the route list looks incomplete: " + registered);
        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(registered);
        assertEquals(Set.of(), undocumented, "routes the document does not describe");
        assertEquals(Set.of(), unserved, "operations the server does not register");
    }

    @Test
    void everyDocumentedOperationIsAnsweredByItsRouteNotByTheFallbacks() {
        List<String> problems = new ArrayList<>();
        for (Operation op : api.operations()) {
            Response r = server.send(server.request(api.examplePath(op))
                    .method(op.method(), HttpRequest.BodyPublishers.noBody()).build());
            boolean routerNotFound = r.status() == 404 && r.contentType().startsWith("application/json")
                    && r.errorMessage().startsWith("no route for");
            if (r.status() == 405 || routerNotFound) {
                problems.add(op + " answered " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyMethodADocumentedPathDoesNotDescribeIsMethodNotAllowed() {
        Set<String> documented = new HashSet<>();
        api.operations().forEach(op -> documented.add(op.toString()));
        List<String> problems = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        api.operations().forEach(op -> paths.add(op.path()));
        for (String path : paths) {
            Operation any = api.operations().stream().filter(o -> o.path().equals(path)).findFirst().orElseThrow();
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                if (documented.contains(method + " " + path)) {
                    continue;
                }
                Response r = server.send(server.request(api.examplePath(any))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build());
                if (r.status() != 405 || r.headers().firstValue("Allow").isEmpty()) {
                    problems.add(method + " " + path + " answered " + r.status());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void pathsNoOneDescribesAreNotFoundInTheEnvelope() {
        for (String path : List.of("/", "/openapi.json", "/api", "/api/v1", "/api/v1/keys/x/y", "/api/internal/billing",
                "/api/v2/billing/status", "/local-dev/v1/api/v1/keys", "/v1/dashboard/billing", "/billing/local/checkout",
                "/metricz")) {
            Response r = server.send(server.request(path).GET().build());
            assertEquals(404, r.status(), path + ": " + r.body());
            if (r.contentType().startsWith("application/json")) {
                r.assertError(404, "not_found");
            }
        }
    }

    @Test
    void theDocumentIsServedWhileTheDatabaseIsAwayAndOnlyToGet() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestServer down = TestServer.start(java.util.Map.of(
                "BUS_DATABASE_URL", "postgres://postgres@127.0.0.1:" + port + "/nothing_here?connectTimeout=1",
                "BUS_AUTH_HS256_SECRET", TestServer.SECRET), null)) {
            Response r = down.send(down.request(ApiDocsService.PATH + "?format=json&x=%00").GET().build());
            assertEquals(200, r.status());
            assertEquals(new String(ApiDocsService.document(), StandardCharsets.UTF_8), r.body());
            down.send(down.request("/readyz").GET().build()).assertError(503, "storage_unavailable");
            down.send(down.request(ApiDocsService.PATH).header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString("openapi: 3.1.0")).build()).assertError(405, "method_not_allowed");
        }
        assertEquals(new String(ApiDocsService.document(), StandardCharsets.UTF_8),
                server.send(server.request(ApiDocsService.PATH).GET().build()).body(), "a PUT changed nothing");
    }

    @Test
    void theDocumentHoldsTogether() {
        JsonNode root = api.root();
        assertEquals("3.1.0", root.path("openapi").asText());
        List<String> broken = new ArrayList<>();
        for (String ref : api.references()) {
            if (api.pointer(ref).isMissingNode()) {
                broken.add(ref);
            }
        }
        assertEquals(List.of(), broken, "references that point nowhere");
        Set<String> schemes = new HashSet<>();
        root.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertEquals(Set.of("apiToken", "internalToken", "operatorToken", "sessionToken", "skKey", "internalKey", "stripeSignature"),
                schemes);
        Set<String> ids = new HashSet<>();
        for (Operation op : api.operations()) {
            JsonNode node = op.node();
            assertTrue(node.has("security"), op + " says nothing about security");
            for (String scheme : op.security().keySet()) {
                assertTrue(schemes.contains(scheme), op + " names an unknown scheme " + scheme);
            }
            assertTrue(node.path("responses").size() > 0, op + " has no responses");
            if (!op.path().startsWith("/local-dev/") && !op.path().startsWith("/dashboard/")) {
                assertTrue(ids.add(node.path("operationId").asText()), "operationId used twice: " + op);
            }
            for (JsonNode p : api.parameters(op)) {
                if (p.path("in").asText().equals("path")) {
                    assertTrue(op.path().contains("{" + p.path("name").asText() + "}"), op + ": " + p);
                    assertFalse(p.path("example").isMissingNode(), op + ": a path parameter without an example");
                }
            }
            boolean protectedByToken = op.security().keySet().stream().anyMatch(s -> s.endsWith("Token"));
            if (protectedByToken) {
                assertTrue(node.path("responses").has("401") && node.path("responses").has("403"),
                        op + " takes a token but lists no 401 or 403");
            }
            JsonNode body = node.path("requestBody").path("content").path("application/json");
            if (!body.isMissingNode()) {
                assertTrue(body.has("example") || body.has("examples"), op + ": a JSON body without an example");
            }
        }
        // every error answer is the envelope (the local pages answer HTML to browsers)
        root.path("components").path("responses").fields().forEachRemaining(e -> {
            JsonNode json = e.getValue().path("content").path("application/json");
            if (!json.isMissingNode()) {
                assertEquals("#/components/schemas/Error", json.path("schema").path("$ref").asText(), e.getKey());
            }
        });
        assertTrue(root.path("info").path("description").asText().toLowerCase(Locale.ROOT).contains("envelope"));
    }
}
