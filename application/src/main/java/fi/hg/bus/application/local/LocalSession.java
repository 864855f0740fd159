package fi.hg.bus.application.local;

import fi.hg.bus.domain.billing.ReturnUrl;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A page of the local provider, opened for one account: a checkout or a portal.
 *
 * @param id        derived from the other fields and a server secret: the same request gives the same id
 * @param feature   the feature asked for (checkout), or null
 * @param planId    the plan asked for or suggested (checkout), or null
 * @param returnUrl where to go afterwards, or null
 */
public record LocalSession(String id, Kind kind, UUID accountId, String feature, String planId, ReturnUrl returnUrl,
                           Instant createdAt, Instant expiresAt) {

    public enum Kind {
        CHECKOUT("checkout"), PORTAL("portal");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWireName(String name) {
            for (Kind k : values()) {
                if (k.wireName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no session kind " + name);
        }
    }

    public LocalSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
