package fi.hg.bus.adapters.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.TerminalText;
import fi.hg.bus.adapters.cli.config.TokenFile;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code bus auth verify --email E --otp CODE}: signs in, saving the session token. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Enter the one-time code: signs in and saves the session token (mode 0600).",
                "The token itself is never printed. Five wrong tries burn a code; ask for a new one with 'bus auth login'."})
public final class VerifyCommand implements Callable<Integer> {

    private static final Pattern CODE = Pattern.compile("[0-9]{6}");

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The registered email address.")
    String email;

    @Option(names = "--otp", required = true, paramLabel = "CODE", description = "The six-digit one-time code.")
    String otp;

    @Mixin
    SessionToken session;

    @Mixin
    ApiOptions api;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public VerifyCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        String address = Email.check(email);
        String code = otp.strip();
        if (!CODE.matcher(code).matches()) {
            throw CommandFailed.usage("--otp must be the six digits of the one-time code");
        }
        Path target = session.target(env);
        ObjectNode body = ApiClient.JSON.createObjectNode().put("email", address).put("otp", code);
        JsonNode answer;
        try (ApiClient client = api.client(env, () -> null,
                "Ask for a new code with: bus auth login --email " + address)) {
            answer = client.post("/api/v1/auth/otp/verify", body.toString());
        } catch (CommandFailed e) {
            if (e.exitCode() == ExitCodes.CREDENTIALS) {
                // the client speaks of tokens; here the server refused the code
                throw new CommandFailed(ExitCodes.CREDENTIALS,
                        e.getMessage().replaceFirst("^the server did not accept the token", "the server did not accept the code"));
            }
            throw e;
        }
        if (!answer.path("access_token").isTextual()) {
            throw new CommandFailed(ExitCodes.FAILURE, "the server's answer holds no session token");
        }
        TokenFile.write(target, TokenFile.check(answer.get("access_token").asText(), "the server's session token"));
        String status = TerminalText.safe(answer.path("status").asText("?"));
        if (format.format() == Format.JSON) {
            ObjectNode shown = ApiClient.JSON.createObjectNode();
            shown.put("identity_id", answer.path("identity_id").asText());
            shown.put("status", answer.path("status").asText());
            shown.put("email_verified", answer.path("email_verified").asBoolean());
            shown.put("expires_at", answer.path("expires_at").asText());
            shown.put("token_file", target.toString());
            output.result(ApiClient.pretty(shown));
            return 0;
        }
        String nl = System.lineSeparator();
        output.result("Signed in as " + address + "." + nl
                + "Identity  " + TerminalText.safe(answer.path("identity_id").asText("?")) + nl
                + "Status    " + status + nl
                + "Session   saved in " + target + " (until " + TerminalText.safe(answer.path("expires_at").asText("?")) + ")" + nl
                + AuthStatusCommand.next(answer.path("status").asText("")));
        return 0;
    }
}
