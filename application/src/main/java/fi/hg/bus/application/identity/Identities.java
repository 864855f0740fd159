package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The registered identities, one per email address. */
public interface Identities {

    Optional<Identity> find(UUID id);

    Optional<Identity> find(EmailAddress email);

    /**
     * The identity with this address, locked until the end of the transaction: requests for codes
     * and tries of codes for one address are then taken one at a time, on every replica.
     */
    Optional<Identity> lock(EmailAddress email);

    /** Adds a new identity; false, changing nothing, when the address is registered already. */
    boolean add(Identity identity);

    /** Stores the identity's status and verification. */
    void save(Identity identity, Instant at);

    /** Waitlisted identities, oldest first, at most {@code limit}. */
    List<Identity> waitlisted(int limit);
}
