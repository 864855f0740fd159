package fi.hg.bus.app.serve;

import fi.hg.bus.application.storage.StorageProbe;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * The storage-backed routes when no store may be used at all ({@code --store postgres} without a
 * URL): each answers 503 with the reason, as it would while a configured database is down.
 */
final class Unavailable implements HttpService {

    private final StorageProbe probe;

    Unavailable(StorageProbe probe) {
        this.probe = probe;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/api/*", (req, res) -> probe.check());
        rules.any("/local-dev/v1/api/*", (req, res) -> probe.check());
    }
}
