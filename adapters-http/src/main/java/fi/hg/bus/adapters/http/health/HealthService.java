package fi.hg.bus.adapters.http.health;

import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.application.storage.StorageProbe;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** {@code /healthz}: the process lives; {@code /readyz}: storage answers a query. */
public final class HealthService implements HttpService {

    private static final byte[] OK = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final StorageProbe storage;

    public HealthService(StorageProbe storage) {
        this.storage = storage;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/healthz", (req, res) -> HttpApi.json(res, 200, OK))
                .get("/readyz", (req, res) -> {
                    storage.check();
                    HttpApi.json(res, 200, OK);
                });
        HttpApi.onlyMethods(rules, "/healthz", "GET");
        HttpApi.onlyMethods(rules, "/readyz", "GET");
    }
}
