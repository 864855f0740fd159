package fi.hg.bus.domain.billing;

import java.util.Optional;

/** Where an account stands with billing. Features are enabled only while {@link #ACTIVE}. */
public enum AccountStatus {
    /** Never seen: a normal answer, not an error. */
    MISSING("missing"),
    INCOMPLETE("incomplete"),
    ACTIVE("active"),
    PAST_DUE("past_due"),
    CANCELED("canceled");

    private static final AccountStatus[] ALL = values();

    private final String wireName;

    AccountStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<AccountStatus> fromWireName(String name) {
        for (AccountStatus s : ALL) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
