package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.ApiScopePolicy;
import fi.hg.bus.domain.identity.RequestLimit;

import java.time.Duration;
import java.util.Objects;

/**
 * How the auth service behaves, as the deployment configured it.
 *
 * @param autoApprove  registrations are approved at once ({@code BUS_AUTH_AUTO_APPROVE=true})
 * @param codeTtl      how long a one-time code is good for
 * @param codeRequests how many codes one address may ask for, and in what time
 * @param sessionTtl   how long a session token lasts
 * @param apiScopes    the scopes an approved identity may have in its API tokens
 */
public record AuthPolicy(boolean autoApprove, Duration codeTtl, RequestLimit codeRequests, Duration sessionTtl,
                         ApiScopePolicy apiScopes) {

    public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);
    public static final RequestLimit DEFAULT_CODE_REQUESTS = new RequestLimit(5, Duration.ofMinutes(15));
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(24);

    public AuthPolicy {
        Objects.requireNonNull(codeTtl, "codeTtl");
        Objects.requireNonNull(codeRequests, "codeRequests");
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(apiScopes, "apiScopes");
    }
}
