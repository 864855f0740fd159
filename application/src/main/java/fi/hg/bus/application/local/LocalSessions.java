package fi.hg.bus.application.local;

import java.time.Instant;
import java.util.Optional;

/** The local provider's open pages. */
public interface LocalSessions {

    /** Stores the session; one stored before under the same id gets the new expiry. */
    void save(LocalSession session);

    Optional<LocalSession> find(String id);

    /** Forgets at most {@code limit} sessions that expired before {@code cutoff}. */
    int forgetExpiredBefore(Instant cutoff, int limit);
}
