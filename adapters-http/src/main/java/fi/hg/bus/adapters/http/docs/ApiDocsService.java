package fi.hg.bus.adapters.http.docs;

import fi.hg.bus.adapters.http.HttpApi;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3.1 description of every route {@code bus serve} serves,
 * a resource of the jar (written by hand; a test holds it to the real routing).
 */
public final class ApiDocsService implements HttpService {

    public static final String PATH = "/openapi.yaml";
    /** The document's place on the class path. */
    public static final String RESOURCE = "/fi/hg/bus/adapters/http/docs/openapi.yaml";

    private final byte[] document;

    public ApiDocsService() {
        this.document = document();
    }

    /** The document's bytes, as served. */
    public static byte[] document() {
        try (InputStream in = ApiDocsService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, (req, res) -> {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.send(document);
        });
        HttpApi.onlyMethods(rules, PATH, "GET");
    }
}
