package fi.hg.bus.domain.export;

import java.util.Arrays;
import java.util.Optional;

/** Where a usage export stands. */
public enum ExportState {
    /** Not yet sent. */
    PENDING("pending"),
    /** Accepted by the provider: never sent again. */
    EXPORTED("exported"),
    /** The last attempt failed; it is tried again later unless it was given up. */
    FAILED("failed");

    private final String wireName;

    ExportState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ExportState> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
