package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.OneTimeCode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One-time codes as stored: digests, with their state and wrong tries. */
public interface OneTimeCodes {

    /** When the identity's codes were issued, from {@code since} on: what the request limit counts. */
    List<Instant> issuedSince(UUID identityId, Instant since);

    /** Stores a new open code; every other open code of the identity becomes replaced. */
    void issue(OneTimeCode code);

    /** The identity's open code (there is at most one), else its newest. */
    Optional<OneTimeCode> newest(UUID identityId);

    /** Stores a code's state and wrong tries. */
    void save(OneTimeCode code);

    /** Forgets codes issued before {@code before}; returns how many. */
    int forgetIssuedBefore(Instant before);
}
