package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.billing.StatusText;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import fi.hg.bus.adapters.cli.operator.OperatorToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code bus operator billing status --account ID}: any account's billing state and quota usage. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show an account's billing state, plan, features and quota usage.",
                "An account never seen is 'missing': a normal answer, with the account holder's next step."})
public final class BillingStatusCommand implements Callable<Integer> {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Option(names = "--account", required = true, paramLabel = "ID", description = "The account id (a UUID).")
    String account;

    @Mixin
    ApiOptions api;

    @Mixin
    OperatorToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public BillingStatusCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String id = account.strip();
        if (!UUID_TEXT.matcher(id).matches()) {
            throw CommandFailed.usage("--account must be an account id, a UUID such as 00000000-0000-4000-8000-000000000001");
        }
        try (ApiClient client = api.client(env, () -> token.resolve(env, OperatorBillingCommand.SCOPES),
                OperatorToken.hint(OperatorBillingCommand.SCOPES))) {
            JsonNode status = client.get("/api/internal/billing/accounts/" + id.toLowerCase(Locale.ROOT) + "/status");
            output.result(format.format() == Format.JSON ? ApiClient.pretty(status) : StatusText.render(status));
        }
        return 0;
    }
}
