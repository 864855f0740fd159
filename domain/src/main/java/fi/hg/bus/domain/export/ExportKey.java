package fi.hg.bus.domain.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency key of an export. A record with an {@code event_id} always gives the same key
 * for the same meter, so that the provider can recognise a repeat; the key is short enough for
 * every provider (Stripe takes at most 100 characters) and says nothing of the event id itself.
 */
public final class ExportKey {

    /** Every key starts with this. */
    public static final String PREFIX = "bus_usage_";
    /** The length of every key. */
    public static final int LENGTH = PREFIX.length() + 40;

    private ExportKey() {
    }

    /** The key of the quantity of {@code feature}/{@code meter} of the usage record {@code eventId}. */
    public static String of(String eventId, String feature, String meter) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // each part with its length first: no two (event, feature, meter) give the same input
            String input = "bus usage export v1|" + eventId.length() + ":" + eventId + "|" + feature.length() + ":" + feature
                    + "|" + meter.length() + ":" + meter;
            byte[] digest = sha.digest(input.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
