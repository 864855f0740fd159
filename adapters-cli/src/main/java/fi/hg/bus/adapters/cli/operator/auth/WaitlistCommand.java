package fi.hg.bus.adapters.cli.operator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.TerminalText;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus operator auth waitlist}: registrations waiting for approval. */
@Command(name = "waitlist", mixinStandardHelpOptions = true,
        description = {"List the registrations waiting for approval, oldest first (at most 1000)."})
public final class WaitlistCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Mixin
    AdminToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public WaitlistCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try (ApiClient client = api.client(env, () -> token.resolve(env), AdminToken.HINT)) {
            JsonNode answer = client.get("/api/v1/auth/admin/waitlist");
            if (format.format() == Format.JSON) {
                output.result(ApiClient.pretty(answer));
                return 0;
            }
            JsonNode items = answer.path("items");
            if (!items.isArray() || items.isEmpty()) {
                output.result("Nobody is waiting for approval.");
                return 0;
            }
            int width = 5;
            int registered = 10;
            for (JsonNode item : items) {
                width = Math.max(width, TerminalText.safe(item.path("email").asText()).length());
                registered = Math.max(registered, TerminalText.safe(item.path("created_at").asText()).length());
            }
            String nl = System.lineSeparator();
            StringBuilder b = new StringBuilder();
            b.append(pad("EMAIL", width)).append("  ").append(pad("REGISTERED", registered)).append("  ")
                    .append(pad("VERIFIED", 8)).append("  IDENTITY").append(nl);
            for (JsonNode item : items) {
                b.append(pad(TerminalText.safe(item.path("email").asText()), width)).append("  ")
                        .append(pad(TerminalText.safe(item.path("created_at").asText()), registered)).append("  ")
                        .append(pad(item.path("email_verified").asBoolean() ? "yes" : "no", 8)).append("  ")
                        .append(TerminalText.safe(item.path("identity_id").asText())).append(nl);
            }
            b.append(items.size()).append(items.size() == 1 ? " registration waits" : " registrations wait")
                    .append(answer.path("has_more").asBoolean() ? " (more than listed)" : "").append(".").append(nl)
                    .append("Approve with: bus operator auth approve --email EMAIL");
            output.result(b.toString());
        }
        return 0;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
