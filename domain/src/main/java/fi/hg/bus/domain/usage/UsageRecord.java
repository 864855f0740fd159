package fi.hg.bus.domain.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One record of accepted work, as reported by a trusted service, before it is stored.
 *
 * @param eventId    idempotency key, or null when the record has none
 * @param type       what happened
 * @param accountId  the account the work was done for, or null
 * @param occurredAt when it happened; kept to the microsecond, the precision the store keeps
 * @param data       the record's data, or null
 */
public record UsageRecord(String eventId, UsageEventType type, UUID accountId, Instant occurredAt, UsageData data) {

    /** The longest idempotency key accepted. */
    public static final int MAX_EVENT_ID_LENGTH = 200;

    public UsageRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (eventId != null) {
            if (eventId.isEmpty()) {
                eventId = null;
            } else {
                checkEventId(eventId);
            }
        }
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** Throws {@link IllegalArgumentException} with the reason when the key cannot be used. */
    public static void checkEventId(String eventId) {
        if (eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new IllegalArgumentException("event_id is longer than " + MAX_EVENT_ID_LENGTH + " characters");
        }
        if (eventId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("event_id must not contain NUL characters");
        }
        if (!isUnicode(eventId)) {
            // the store keeps UTF-8: such keys would be altered there and mistaken for each other
            throw new IllegalArgumentException("event_id must be valid Unicode text (it holds an unpaired surrogate)");
        }
    }

    /** Whether {@code text} is well-formed UTF-16: no unpaired surrogates. */
    public static boolean isUnicode(String text) {
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

    /** The data as JSON object text, or null. */
    public String dataJson() {
        return data == null ? null : data.json();
    }

    public boolean hasEventId() {
        return eventId != null;
    }
}
