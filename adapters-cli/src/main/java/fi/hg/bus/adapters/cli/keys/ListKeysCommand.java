package fi.hg.bus.adapters.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus keys list}: your keys, newest first, without their secrets. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List your API keys, newest first: id, name, prefix, status, use and expiry (never the secrets).")
public final class ListKeysCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Mixin
    UserToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public ListKeysCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        JsonNode answer;
        try (ApiClient client = api.client(env, () -> token.resolve(env, KeysCommand.SCOPES), UserToken.hint(KeysCommand.SCOPES))) {
            answer = client.get(KeysCommand.PATH);
        }
        if (format.format() == Format.JSON) {
            output.result(ApiClient.pretty(answer));
            return 0;
        }
        JsonNode keys = answer.path("keys");
        if (keys.isEmpty()) {
            output.result("No keys yet. Make one with: bus keys create --name NAME");
            return 0;
        }
        String table = KeyText.table(keys);
        if (answer.path("has_more").asBoolean()) {
            table += System.lineSeparator() + "(older keys are not shown)";
        }
        output.result(table);
        return 0;
    }
}
