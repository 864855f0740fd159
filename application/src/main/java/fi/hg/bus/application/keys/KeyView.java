package fi.hg.bus.application.keys;

import fi.hg.bus.domain.keys.ApiKey;
import fi.hg.bus.domain.keys.KeyStatus;

/**
 * A key as its owner sees it: never its secret.
 *
 * @param meter the meter the key's own limit counts and {@code used} is of
 */
public record KeyView(ApiKey key, long used, KeyStatus status, String meter) {

    /** What is left of the key's own limit; null for a key without one. */
    public Long remaining() {
        return key.unlimited() ? null : key.remaining(used);
    }
}
