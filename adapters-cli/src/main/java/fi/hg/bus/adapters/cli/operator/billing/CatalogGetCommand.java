package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import fi.hg.bus.adapters.cli.operator.OperatorToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus operator billing catalog get}: the active catalog. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Show the active catalog and its version.",
                "--format json prints the server's JSON; it can be edited and given back to 'catalog put'."})
public final class CatalogGetCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Mixin
    OperatorToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public CatalogGetCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try (ApiClient client = api.client(env, () -> token.resolve(env, OperatorBillingCommand.SCOPES),
                OperatorToken.hint(OperatorBillingCommand.SCOPES))) {
            JsonNode catalog = client.get(OperatorBillingCommand.CATALOG_PATH);
            output.result(format.format() == Format.JSON ? ApiClient.pretty(catalog) : CatalogText.render(catalog));
        }
        return 0;
    }
}
