package fi.hg.bus.adapters.cli.operator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs a token on this machine with the shared HS256 secret, the way the server verifies it.
 * The secret comes from {@code secretFile} when given, else from the environment the server reads.
 */
public interface LocalTokenSigner {

    record SignedToken(String token, Instant expiresAt) {
    }

    /** @throws fi.hg.bus.adapters.cli.CommandFailed when no usable secret is found */
    SignedToken sign(Path secretFile, String subject, String audience, String scope, Duration ttl);
}
