package fi.hg.bus.adapters.cli.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.cli.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a signed HS256 token.",
                "With --local the token is signed here with the shared secret (from --hs256-secret-file, "
                        + "$BUS_AUTH_HS256_SECRET, or the embedded server's secret in $BUS_DATA_DIR)."})
public final class IssueTokenCommand implements Callable<Integer> {

    private static final Set<String> AUDIENCES = Set.of("ai.hg.fi/api", "ai.hg.fi/internal", "ai.hg.fi/auth");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.:*\\-/]{1,100}( +[A-Za-z0-9_.:*\\-/]{1,100})*");
    private static final Duration MAX_TTL = Duration.ofDays(366);
    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    public IssueTokenCommand(LocalTokenSigner signer) {
        this.signer = signer;
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
            throw CommandFailed.usage("issuing through the auth service is not available in this version; "
                    + "use --local to sign with the shared HS256 secret");
        }
        LocalTokenSigner.SignedToken signed = signer.sign(secretFile, subject, audience, scopes, lifetime);
        if (format.equals("token")) {
            output.result(signed.token());
        } else {
            ObjectNode answer = MAPPER.createObjectNode();
            answer.put("access_token", signed.token());
            answer.put("token_type", "Bearer");
            answer.put("expires_at", signed.expiresAt().toString());
            answer.put("audience", audience);
            answer.put("scope", scopes);
            output.result(answer.toString());
        }
        return 0;
    }
}
