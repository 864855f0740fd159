package fi.hg.bus.adapters.cli.operator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.TerminalText;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** What {@code approve} and {@code reject} share: one email, one decision. */
abstract class DecideCommand implements Callable<Integer> {

    private static final Pattern ROUGH_EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}");

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The registered email address.")
    String email;

    @Mixin
    ApiOptions api;

    @Mixin
    AdminToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;
    private final String decision;

    DecideCommand(Map<String, String> env, String decision) {
        this.env = env;
        this.decision = decision;
    }

    @Override
    public Integer call() {
        String address = email.strip();
        if (!ROUGH_EMAIL.matcher(address).matches()) {
            throw CommandFailed.usage("--email must be an email address such as user@example.com");
        }
        String body = ApiClient.JSON.createObjectNode().put("email", address).toString();
        try (ApiClient client = api.client(env, () -> token.resolve(env), AdminToken.HINT)) {
            JsonNode answer = client.post("/api/v1/auth/admin/" + decision, body);
            output.result(format.format() == Format.JSON ? ApiClient.pretty(answer)
                    : TerminalText.safe(answer.path("email").asText(address)) + " is "
                    + TerminalText.safe(answer.path("status").asText("?")) + " (identity "
                    + TerminalText.safe(answer.path("identity_id").asText("?")) + ").");
        }
        return 0;
    }
}
