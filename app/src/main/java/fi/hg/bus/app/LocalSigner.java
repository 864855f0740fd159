package fi.hg.bus.app;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.operator.LocalTokenSigner;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.SecretFile;
import fi.hg.bus.domain.auth.SigningSecret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Signs tokens for {@code bus operator token issue --local} with the secret the server verifies
 * with: the given file, else {@code BUS_AUTH_HS256_SECRET} (or its aliases), else the embedded
 * server's secret in {@code $BUS_DATA_DIR}.
 */
final class LocalSigner implements LocalTokenSigner {

    private final Env env;
    private final Clock clock;

    LocalSigner(Env env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public SignedToken sign(Path secretFile, String subject, String audience, String scope, Duration ttl) {
        SigningSecret secret = secret(secretFile);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String token = new Hs256Jwt(secret, clock).sign(subject, audience, scope, now, expires);
        return new SignedToken(token, expires);
    }

    private SigningSecret secret(Path secretFile) {
        try {
            if (secretFile != null) {
                return SecretFile.read(secretFile);
            }
            Optional<String> configured = env.aliased("BUS_AUTH_HS256_SECRET", "BUS_USAGE_JWT_SECRET", "BUS_BILLING_JWT_SECRET");
            if (configured.isPresent()) {
                return SigningSecret.parse(configured.get());
            }
            Path dataDirectory = env.get("BUS_DATA_DIR").map(Path::of)
                    .orElseGet(() -> Path.of(System.getProperty("user.home"), ".local", "share", "bus"));
            Path embedded = SecretFile.path(dataDirectory);
            if (Files.isReadable(embedded)) {
                return SecretFile.read(embedded);
            }
        } catch (IOException e) {
            throw new CommandFailed(ExitCodes.CREDENTIALS, "cannot read the HS256 secret: " + e.getMessage());
        } catch (IllegalArgumentException | ConfigException e) {
            throw new CommandFailed(ExitCodes.CREDENTIALS, e.getMessage());
        }
        throw new CommandFailed(ExitCodes.CREDENTIALS, "no HS256 secret: give --hs256-secret-file FILE "
                + "or set BUS_AUTH_HS256_SECRET (the embedded server's secret is used when it exists)");
    }
}
