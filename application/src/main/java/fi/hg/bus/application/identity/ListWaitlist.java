package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.Identity;

import java.util.List;

/** The identities waiting for an operator's approval, oldest first. */
public final class ListWaitlist {

    /** The most one answer lists. */
    public static final int LIMIT = 1000;

    /** One page: {@code more} says whether more are waiting than listed. */
    public record Page(List<Identity> identities, boolean more) {
    }

    private final Identities identities;

    public ListWaitlist(Identities identities) {
        this.identities = identities;
    }

    public Page list() {
        List<Identity> found = identities.waitlisted(LIMIT + 1);
        return found.size() > LIMIT ? new Page(List.copyOf(found.subList(0, LIMIT)), true) : new Page(found, false);
    }
}
