package fi.hg.bus.domain.keys;

import java.util.Locale;

/** Where an API key stands; a key works only while {@code active}. */
public enum KeyStatus {
    /** Usable. */
    ACTIVE,
    /** Its own quota is spent; it authenticates, but entitlement checks naming it are refused. */
    EXHAUSTED,
    /** Past its expiry. */
    EXPIRED,
    /** Revoked by its owner. */
    REVOKED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
