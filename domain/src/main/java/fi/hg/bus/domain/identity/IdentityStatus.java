package fi.hg.bus.domain.identity;

import java.util.Arrays;
import java.util.Optional;

/** Where a registered identity stands with the operators' approval. Only an approved identity gets API tokens. */
public enum IdentityStatus {
    /** Registered, waiting for an operator. */
    WAITLISTED("waitlisted"),
    APPROVED("approved"),
    REJECTED("rejected");

    private final String wireName;

    IdentityStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<IdentityStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
