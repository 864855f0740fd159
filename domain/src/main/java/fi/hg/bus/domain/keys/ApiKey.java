package fi.hg.bus.domain.keys;

import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.entitlement.UsageItem;
import fi.hg.bus.domain.quota.QuotaWindow;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An API key of an account, without its secret.
 *
 * @param prefix     what listings show of the secret: {@code sk-} and its first eight characters
 * @param quotaLimit the key's own lifetime limit in the key meter's units; null: no limit of its
 *                   own (the account's plan still applies)
 * @param expiresAt  when the key stops working; null: never
 * @param revokedAt  when its owner revoked it; null while not revoked
 */
public record ApiKey(UUID id, UUID accountId, String name, String prefix, Long quotaLimit, Instant expiresAt,
                     Instant createdAt, Instant revokedAt) {

    /** The longest name a key may have. */
    public static final int MAX_NAME_LENGTH = 100;

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(createdAt, "createdAt");
        if (quotaLimit != null && quotaLimit < 1) {
            throw new IllegalArgumentException("quotaLimit must be positive");
        }
        nameProblem(name).ifPresent(p -> {
            throw new IllegalArgumentException("name " + p);
        });
    }

    /** What is wrong with {@code name} as a key's name, or empty when it is fine. */
    public static Optional<String> nameProblem(String name) {
        if (name.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            return Optional.of("must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !isUnicode(name)) {
            return Optional.of("must be printable text (no control characters)");
        }
        return Optional.empty();
    }

    private static boolean isUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public boolean unlimited() {
        return quotaLimit == null;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether the key authenticates now: not revoked and not expired. A spent key still does. */
    public boolean authenticates(Instant now) {
        return !isRevoked() && !isExpired(now);
    }

    /** What is left of the key's own limit after {@code used}; never below zero. Only for a limited key. */
    public long remaining(long used) {
        if (unlimited()) {
            throw new IllegalStateException("an unlimited key has no remaining quota");
        }
        return Math.max(0, quotaLimit - used);
    }

    /** Revoked before expired before exhausted. */
    public KeyStatus status(Instant now, long used) {
        if (isRevoked()) {
            return KeyStatus.REVOKED;
        }
        if (isExpired(now)) {
            return KeyStatus.EXPIRED;
        }
        if (!unlimited() && used >= quotaLimit) {
            return KeyStatus.EXHAUSTED;
        }
        return KeyStatus.ACTIVE;
    }

    /**
     * Why work on {@code feature} may not be done with this key, on top of what the account's
     * plan allows, or empty when the key does not stand in the way. The key's own limit counts
     * {@code keyMeter}: it is spent when {@code used >= limit}, and a check that names a quantity
     * of that meter (or no meter) is also refused when {@code used + quantity > limit}.
     *
     * @param owner the account the check is for; a key of another account is invalid for it
     */
    public Optional<EntitlementDecision> refusal(UUID owner, String feature, String meter, long quantity,
                                                 String keyMeter, long used, Instant now) {
        if (!accountId.equals(owner) || !authenticates(now)) {
            return Optional.of(new EntitlementDecision.ApiKeyInvalid());
        }
        if (unlimited()) {
            return Optional.empty();
        }
        long asked = meter == null || meter.equals(keyMeter) ? Math.max(0, quantity) : 0;
        if (used >= quotaLimit || used + asked > quotaLimit) {
            UsageItem item = new UsageItem(feature, keyMeter, QuotaWindow.TOTAL, used, quotaLimit, remaining(used),
                    used >= quotaLimit, null, null, 0);
            return Optional.of(new EntitlementDecision.ApiKeyQuotaExceeded(id, item));
        }
        return Optional.empty();
    }
}
