package fi.hg.bus.domain.identity;

import fi.hg.bus.domain.auth.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scopes an approved identity may put in its API tokens (the deployment's
 * {@code BUS_AUTH_API_USER_RESOURCES}). A token is issued only when every asked scope is allowed.
 */
public record ApiScopePolicy(Scopes allowed) {

    /** What a deployment allows when it says nothing: the end-user scopes of this product's own APIs. */
    public static final String DEFAULT = "billing:read billing:setup llm:proxy keys:read keys:write";

    public ApiScopePolicy {
        Objects.requireNonNull(allowed, "allowed");
    }

    /** The asked scopes that are not allowed, in the order asked; empty when the request may be granted. */
    public List<String> notAllowed(Scopes asked) {
        List<String> refused = new ArrayList<>();
        for (String scope : asked.values()) {
            if (!allowed.contains(scope)) {
                refused.add(scope);
            }
        }
        return refused;
    }
}
