package fi.hg.bus.adapters.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import fi.hg.bus.adapters.cli.http.ApiUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a signed HS256 token.",
                "By default the auth service issues it (POST /api/internal/auth/token at --api-url), given its internal "
                        + "shared key from --internal-key-file or $BUS_OPERATOR_INTERNAL_KEY.",
                "With --local the token is signed here with the shared secret (from --hs256-secret-file, "
                        + "$BUS_AUTH_HS256_SECRET, or the embedded server's secret in $BUS_DATA_DIR)."})
public final class IssueTokenCommand implements Callable<Integer> {

    private static final Set<String> AUDIENCES = Set.of("ai.hg.fi/api", "ai.hg.fi/internal", "ai.hg.fi/auth");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.:*\\-/]{1,100}( +[A-Za-z0-9_.:*\\-/]{1,100})*");
    private static final Duration MAX_TTL = Duration.ofDays(366);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String INTERNAL_KEY_ENV = "BUS_OPERATOR_INTERNAL_KEY";
    static final String INTERNAL_KEY_HEADER = "X-Bus-Internal-Key";

    @ParentCommand
    TokenCommand parent;

    @Mixin
    Output output;

    @Option(names = "--subject", required = true, paramLabel = "S", description = "The token's sub: who it is for.")
    String subject;

    @Option(names = "--audience", defaultValue = "ai.hg.fi/internal", paramLabel = "A",
            description = "ai.hg.fi/internal (default), ai.hg.fi/api or ai.hg.fi/auth.")
    String audience;

    @Option(names = {"--scope", "--resources"}, required = true, paramLabel = "\"S1 S2\"",
            description = "Space-separated scopes, e.g. \"usage:read usage:delete\".")
    String scope;

    @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION", description = "Lifetime, e.g. 15m, 1h, 7d (default 1h).")
    String ttl;

    @Option(names = "--local", description = "Sign here with the shared HS256 secret instead of asking the auth service.")
    boolean local;

    @Option(names = "--hs256-secret-file", paramLabel = "FILE", description = "File holding the HS256 secret (with --local).")
    Path secretFile;

    private final LocalTokenSigner signer;
    private final Map<String, String> env;

    public IssueTokenCommand(LocalTokenSigner signer, Map<String, String> env) {
        this.signer = signer;
        this.env = env;
    }

    /** Asks the auth service for the token with the internal shared key. */
    private void remote(String format, String scopes, Duration lifetime) {
        ApiUrl url = apiUrl();
        Duration wait;
        try {
            wait = Durations.parse(parent.timeout);
        } catch (IllegalArgumentException e) {
            throw CommandFailed.usage("--timeout: " + e.getMessage());
        }
        if (wait.isZero() || wait.compareTo(Duration.ofDays(1)) > 0) {
            throw CommandFailed.usage("--timeout must be more than 0s and at most 1d");
        }
        String key = internalKey();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("subject", subject);
        body.put("audience", audience);
        body.put("scope", scopes);
        body.put("ttl_seconds", lifetime.toSeconds());
        JsonNode answer;
        try (ApiClient client = new ApiClient(url, null, wait, "Check the internal key: it must equal the server's "
                + "BUS_AUTH_INTERNAL_SHARED_KEY (with none set there, the server issues nothing).",
                Map.of(INTERNAL_KEY_HEADER, key))) {
            answer = client.post("/api/internal/auth/token", body.toString());
        }
        if (!answer.path("access_token").isTextual()) {
            throw new CommandFailed(ExitCodes.FAILURE, "the auth service's answer holds no token");
        }
        output.secret(format.equals("token") ? answer.get("access_token").asText() : answer.toString());
    }

    private ApiUrl apiUrl() {
        String text = parent.apiUrl;
        String where = "--api-url";
        if (text == null) {
            text = env.get(ApiOptions.API_URL_ENV);
            where = ApiOptions.API_URL_ENV;
            if (text == null || text.isBlank()) {
                return ApiUrl.parse(ApiUrl.DEFAULT);
            }
        }
        try {
            return ApiUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw CommandFailed.usage(where + " " + e.getMessage());
        }
    }

    /** The key from --internal-key-file, else $BUS_OPERATOR_INTERNAL_KEY; never an argument. */
    private String internalKey() {
        String text;
        String where;
        if (parent.internalKeyFile != null) {
            where = "the internal key file " + parent.internalKeyFile;
            try {
                if (Files.size(parent.internalKeyFile) > 4096) {
                    throw CommandFailed.credentials(where + " is too large to hold a key");
                }
                text = Files.readString(parent.internalKeyFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw CommandFailed.credentials(where + " does not exist");
            } catch (IOException e) {
                throw CommandFailed.credentials("cannot read " + where + ": " + e.getMessage());
            }
        } else {
            text = env.get(INTERNAL_KEY_ENV);
            where = "$" + INTERNAL_KEY_ENV;
            if (text == null || text.isBlank()) {
                throw CommandFailed.credentials("no internal key: give --internal-key-file FILE (on 'bus operator token') or set "
                        + INTERNAL_KEY_ENV + "; or sign here with --local");
            }
        }
        String key = text.strip();
        if (key.isEmpty()) {
            throw CommandFailed.credentials(where + " is empty");
        }
        if (key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw CommandFailed.credentials(where + " must hold one line of printable characters");
        }
        return key;
    }

    @Override
    public Integer call() {
        String format = parent.format;
        if (!format.equals("json") && !format.equals("token")) {
            throw CommandFailed.usage("--format must be json or token");
        }
        if (subject.isBlank() || subject.length() > 200) {
            throw CommandFailed.usage("--subject must be 1 to 200 characters");
        }
        if (!AUDIENCES.contains(audience)) {
            throw CommandFailed.usage("--audience must be one of " + String.join(", ", AUDIENCES.stream().sorted().toList()));
        }
        String scopes = scope.strip();
        if (!SCOPE.matcher(scopes).matches()) {
            throw CommandFailed.usage("--scope must be space-separated scopes such as \"usage:read usage:delete\"");
        }
        Duration lifetime;
        try {
            lifetime = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            throw CommandFailed.usage("--ttl: " + e.getMessage());
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_TTL) > 0) {
            throw CommandFailed.usage("--ttl must be between 1s and 366d");
        }
        if (secretFile != null && !local) {
            throw CommandFailed.usage("--hs256-secret-file needs --local");
        }
        if (!local) {
            remote(format, scopes, lifetime);
            return 0;
        }
        if (parent.apiUrl != null || parent.internalKeyFile != null) {
            throw CommandFailed.usage("--local signs here; --api-url and --internal-key-file are for issuing through the auth service");
        }
        LocalTokenSigner.SignedToken signed = signer.sign(secretFile, subject, audience, scopes, lifetime);
        if (format.equals("token")) {
            output.secret(signed.token());
        } else {
            ObjectNode answer = MAPPER.createObjectNode();
            answer.put("access_token", signed.token());
            answer.put("token_type", "Bearer");
            answer.put("expires_at", signed.expiresAt().toString());
            answer.put("audience", audience);
            answer.put("scope", scopes);
            output.secret(answer.toString());
        }
        return 0;
    }
}
