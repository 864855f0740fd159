package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import fi.hg.bus.adapters.cli.operator.OperatorToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus operator billing catalog put --file F}: replaces the active catalog. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Store the catalog in FILE as the next version and make it active.",
                "An invalid catalog is refused with every problem listed, one per line, and the previous one stays active.",
                "The read-only 'version' and 'created_at' that 'catalog get --format json' prints are left out."})
public final class CatalogPutCommand implements Callable<Integer> {

    /** The server takes JSON bodies up to 1 MiB; a larger file is refused here with a clear message. */

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The catalog, as JSON.")
    Path file;

    @Mixin
    ApiOptions api;

    @Mixin
    OperatorToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public CatalogPutCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        api.apiUrl(env);   // usage errors come first
        api.timeout();
        ObjectNode catalog = CatalogFile.read(file);
        String body;
        try {
            body = ApiClient.JSON.writeValueAsString(catalog);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (ApiClient client = api.client(env, () -> token.resolve(env, OperatorBillingCommand.SCOPES),
                OperatorToken.hint(OperatorBillingCommand.SCOPES))) {
            JsonNode stored = client.put(OperatorBillingCommand.CATALOG_PATH, body);
            output.result(format.format() == Format.JSON ? ApiClient.pretty(stored) : summary(stored));
        }
        return 0;
    }

    private static String summary(JsonNode stored) {
        return "Stored catalog version " + stored.path("version").asLong() + ": "
                + count(stored, "products", "product") + ", " + count(stored, "meters", "meter") + ", "
                + count(stored, "plans", "plan") + ".";
    }

    private static String count(JsonNode node, String field, String noun) {
        int n = node.path(field).size();
        return n + " " + noun + (n == 1 ? "" : "s");
    }

}
