package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.adapters.http.auth.JwtTokenIssuer;
import fi.hg.bus.adapters.http.identity.AuthService;
import fi.hg.bus.adapters.mail.ConsoleCodeSender;
import fi.hg.bus.adapters.mail.MemoryCodeSender;
import fi.hg.bus.adapters.mail.SmtpCodeSender;
import fi.hg.bus.adapters.persistence.identity.JooqIdentities;
import fi.hg.bus.adapters.persistence.identity.JooqOneTimeCodes;
import fi.hg.bus.adapters.persistence.identity.JooqRevokedSessions;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.app.config.AuthConfig;
import fi.hg.bus.application.identity.AuthPolicy;
import fi.hg.bus.application.identity.CheckRevocation;
import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.application.identity.DecideIdentity;
import fi.hg.bus.application.identity.ForgetAuthRecords;
import fi.hg.bus.application.identity.IssueApiToken;
import fi.hg.bus.application.identity.IssueServiceToken;
import fi.hg.bus.application.identity.ListWaitlist;
import fi.hg.bus.application.identity.Logout;
import fi.hg.bus.application.identity.ReadIdentity;
import fi.hg.bus.application.identity.Register;
import fi.hg.bus.application.identity.RequestCode;
import fi.hg.bus.application.identity.VerifyCode;
import fi.hg.bus.application.storage.StorageUnavailableException;
import fi.hg.bus.domain.auth.SigningSecret;
import fi.hg.bus.domain.identity.CodeDigest;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Wires the auth service of SPEC 6: its use cases over PostgreSQL, the code sender, the token issuer. */
final class AuthWiring {

    private static final Logger LOG = Logger.getLogger(AuthWiring.class.getName());

    private AuthWiring() {
    }

    static AuthService service(AuthConfig config, PostgresStore store, BearerAuth auth, SigningSecret secret, Clock clock,
                               ScheduledExecutorService background) {
        AuthPolicy policy = config.policy();
        JooqIdentities identities = new JooqIdentities(store);
        JooqOneTimeCodes codes = new JooqOneTimeCodes(store);
        JooqRevokedSessions revoked = new JooqRevokedSessions(store);
        CodeDigest digest = CodeDigest.fromSecret(secret.bytes());
        JwtTokenIssuer tokens = new JwtTokenIssuer(new Hs256Jwt(secret, clock), clock);
        CodeSender sender = switch (config.sender()) {
            case MEMORY -> new MemoryCodeSender();
            case CONSOLE -> {
                LOG.warning("one-time codes are written to this log (BUS_AUTH_OTP_SENDER=console): for development only");
                yield new ConsoleCodeSender();
            }
            case SMTP -> new SmtpCodeSender(config.smtp().orElseThrow(), clock);
        };
        if (config.internalKey().isEmpty()) {
            LOG.fine("BUS_AUTH_INTERNAL_SHARED_KEY is not set: POST /api/internal/auth/token answers 403");
        }
        ForgetAuthRecords forget = new ForgetAuthRecords(codes, revoked, policy, clock);
        background.scheduleWithFixedDelay(() -> {
            try {
                forget.forget();
            } catch (StorageUnavailableException e) {
                LOG.fine("forgetting old one-time codes skipped: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "forgetting old one-time codes failed", e);
            }
        }, 10, 60, TimeUnit.MINUTES);
        return new AuthService(auth, new AuthService.UseCases(
                new Register(store, identities, UUID::randomUUID, policy.autoApprove(), clock),
                new RequestCode(store, identities, codes, sender, digest, new SecureRandom(), UUID::randomUUID, policy, clock),
                new VerifyCode(store, identities, codes, digest, tokens, policy, clock),
                new ReadIdentity(identities),
                new IssueApiToken(identities, tokens, policy),
                new Logout(revoked),
                new CheckRevocation(revoked),
                new ListWaitlist(identities),
                new DecideIdentity(store, identities, clock),
                new IssueServiceToken(config.internalKey(), tokens)));
    }
}
