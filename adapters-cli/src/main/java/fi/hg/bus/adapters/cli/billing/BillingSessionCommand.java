package fi.hg.bus.adapters.cli.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.TerminalText;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;

import java.util.Map;

/** Opens a hosted billing page and prints its URL: what {@code setup} and {@code portal} share. */
final class BillingSessionCommand {

    private BillingSessionCommand() {
    }

    static int open(Map<String, String> env, ApiOptions api, ApiToken token, String scope, FormatOption format, Output output,
                    String path, ObjectNode body) {
        api.apiUrl(env);
        api.timeout();
        String json;
        try {
            json = ApiClient.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (ApiClient client = api.client(env, () -> token.resolve(env, java.time.Instant.now(), java.util.List.of(scope)),
                ApiToken.HINT)) {
            JsonNode session = client.post(path, json);
            output.result(format.format() == Format.JSON ? ApiClient.pretty(session)
                    : TerminalText.safe(session.path("url").asText()));
        }
        return 0;
    }
}
