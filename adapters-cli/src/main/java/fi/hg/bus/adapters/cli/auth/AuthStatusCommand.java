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

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus auth status}: where the signed-in account stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the signed-in account: its id (the account id of its tokens), "
                + "whether an operator approved it, and whether its email address is verified."})
public final class AuthStatusCommand implements Callable<Integer> {

    @Mixin
    SessionToken session;

    @Mixin
    ApiOptions api;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;
    private final Clock clock;

    public AuthStatusCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        try (ApiClient client = api.client(env, () -> session.resolve(env, clock.instant()),
                "The session is not valid any more." + System.lineSeparator() + SessionToken.SIGN_IN)) {
            JsonNode status = client.get("/api/v1/auth/status");
            if (format.format() == Format.JSON) {
                output.result(ApiClient.pretty(status));
            } else {
                String nl = System.lineSeparator();
                output.result("Identity  " + TerminalText.safe(status.path("identity_id").asText("?")) + nl
                        + "Status    " + TerminalText.safe(status.path("status").asText("?")) + nl
                        + "Email     " + (status.path("email_verified").asBoolean() ? "verified" : "not verified") + nl
                        + next(status.path("status").asText("")));
            }
        }
        return 0;
    }

    /** What to do next in each state of approval. */
    static String next(String status) {
        return switch (status) {
            case "approved" -> "Next: bus auth token --scope \"billing:read billing:setup\"";
            case "waitlisted" -> "Waiting for an operator's approval; API tokens are issued once the account is approved "
                    + "(check with: bus auth status).";
            case "rejected" -> "An operator rejected this registration; API tokens are not issued.";
            default -> "";
        };
    }
}
