package fi.hg.bus.adapters.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.TerminalText;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus auth login --email E}: asks for a one-time code. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Ask for a one-time code, sent to the registered email address.",
                "Then enter it with 'bus auth verify --email EMAIL --otp CODE'. Codes are six digits, "
                        + "good for a short time and once; a new code replaces the previous one."})
public final class LoginCommand implements Callable<Integer> {

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The registered email address.")
    String email;

    @Mixin
    ApiOptions api;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public LoginCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String address = Email.check(email);
        try (ApiClient client = api.client(env, () -> null, null)) {
            JsonNode answer = client.post("/api/v1/auth/otp/request", Email.body(address));
            if (format.format() == Format.JSON) {
                output.result(ApiClient.pretty(answer));
            } else {
                String sentTo = TerminalText.safe(answer.path("email").asText(address));
                output.result("A one-time code was sent to " + sentTo
                        + (answer.hasNonNull("expires_at") ? "; it is good until " + TerminalText.safe(answer.get("expires_at").asText()) : "")
                        + "." + System.lineSeparator() + "Next: bus auth verify --email " + sentTo + " --otp CODE");
            }
        }
        return 0;
    }
}
