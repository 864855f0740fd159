package fi.hg.bus.adapters.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code bus keys revoke ID}: the key stops working at once, everywhere. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke one of your API keys: it stops working at once, on every server.",
                "Revoking a revoked key changes nothing."})
public final class RevokeKeyCommand implements Callable<Integer> {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id, as 'bus keys list' shows it.")
    String id;

    @Mixin
    ApiOptions api;

    @Mixin
    UserToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public RevokeKeyCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String keyId = id.strip();
        if (!UUID_TEXT.matcher(keyId).matches()) {
            throw CommandFailed.usage("ID must be a key id (a UUID) as 'bus keys list' shows it, not the sk-… key itself");
        }
        JsonNode key;
        try (ApiClient client = api.client(env, () -> token.resolve(env, KeysCommand.SCOPES), UserToken.hint(KeysCommand.SCOPES))) {
            key = client.delete(KeysCommand.PATH + "/" + keyId.toLowerCase(Locale.ROOT));
        }
        output.result(format.format() == Format.JSON ? ApiClient.pretty(key)
                : "Revoked key \"" + KeyText.text(key, "name") + "\" (" + KeyText.text(key, "prefix") + "…, id "
                + KeyText.text(key, "id") + ") at " + KeyText.text(key, "revoked_at") + ".");
        return 0;
    }
}
