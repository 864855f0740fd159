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

/** {@code bus auth register --email E}. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register an email address. The account waits for an operator's approval "
                + "(unless the deployment approves everyone); registering again changes nothing."})
public final class RegisterCommand implements Callable<Integer> {

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "Your email address.")
    String email;

    @Mixin
    ApiOptions api;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public RegisterCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String address = Email.check(email);
        try (ApiClient client = api.client(env, () -> null, null)) {
            JsonNode answer = client.post("/api/v1/auth/register", Email.body(address));
            if (format.format() == Format.JSON) {
                output.result(ApiClient.pretty(answer));
            } else {
                String registered = TerminalText.safe(answer.path("email").asText(address));
                output.result("Registered " + registered + ": " + TerminalText.safe(answer.path("status").asText("?")) + "."
                        + System.lineSeparator() + "Next: bus auth login --email " + registered);
            }
        }
        return 0;
    }
}
