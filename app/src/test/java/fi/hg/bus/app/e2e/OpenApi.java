package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import fi.hg.bus.adapters.http.docs.ApiDocsService;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The served OpenAPI document, read as a tree: its operations with their path items' {@code $ref}
 * followed, and {@code $ref}s resolved on demand.
 */
public final class OpenApi {

    public static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One operation: the method (upper case), the path template, and the operation object. */
    public record Operation(String method, String path, JsonNode node) {
        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The security requirements: scheme name and the scopes it needs; empty when none is needed. */
        public Map<String, List<String>> security() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (JsonNode requirement : node.path("security")) {
                requirement.fields().forEachRemaining(e -> {
                    List<String> scopes = new ArrayList<>();
                    e.getValue().forEach(s -> scopes.add(s.asText()));
                    out.put(e.getKey(), scopes);
                });
            }
            return out;
        }
    }

    private final JsonNode root;

    private OpenApi(JsonNode root) {
        this.root = root;
    }

    public static OpenApi parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object tree = new Yaml(new SafeConstructor(options)).load(yaml);
        return new OpenApi(TestServer.mapper().valueToTree(tree));
    }

    /** The document as the jar holds it. */
    public static OpenApi fromJar() {
        return parse(new String(ApiDocsService.document(), StandardCharsets.UTF_8));
    }

    public JsonNode root() {
        return root;
    }

    /** The node a local reference ({@code #/components/…}) points at; missing when none. */
    public JsonNode pointer(String ref) {
        if (!ref.startsWith("#/")) {
            return MissingNode.getInstance();
        }
        JsonNode node = root;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }

    /** The node, or what its {@code $ref} points at (followed until a node without one). */
    public JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref")) {
            node = pointer(node.get("$ref").asText());
            if (++hops > 20) {
                throw new IllegalStateException("a $ref cycle");
            }
        }
        return node;
    }

    /** Every operation of every path, path items' references followed. */
    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode item = resolve(e.getValue());
            for (Iterator<Map.Entry<String, JsonNode>> ops = item.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    out.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), e.getKey(), op.getValue()));
                }
            }
        }
        return out;
    }

    /** The parameters of an operation (its path item's too), resolved. */
    public List<JsonNode> parameters(Operation op) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode item = resolve(root.path("paths").path(op.path()));
        for (JsonNode p : item.path("parameters")) {
            out.add(resolve(p));
        }
        for (JsonNode p : op.node().path("parameters")) {
            out.add(resolve(p));
        }
        return out;
    }

    /** The path with every {@code {name}} replaced by its parameter's example. */
    public String examplePath(Operation op) {
        String path = op.path();
        for (JsonNode p : parameters(op)) {
            if (p.path("in").asText().equals("path")) {
                path = path.replace("{" + p.path("name").asText() + "}", p.path("example").asText());
            }
        }
        return path;
    }

    /** Every {@code $ref} in the document, wherever it is. */
    public List<String> references() {
        List<String> refs = new ArrayList<>();
        collect(root, refs);
        return refs;
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    refs.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, refs));
        }
    }
}
