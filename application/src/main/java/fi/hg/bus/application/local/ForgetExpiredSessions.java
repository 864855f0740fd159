package fi.hg.bus.application.local;

import java.time.Clock;
import java.time.Duration;

/** Forgets the local provider's sessions a day after they expired. */
public final class ForgetExpiredSessions {

    private static final int BATCH = 1000;
    private static final Duration GRACE = Duration.ofDays(1);

    private final LocalSessions sessions;
    private final Clock clock;

    public ForgetExpiredSessions(LocalSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    public int forget() {
        int total = 0;
        int n;
        do {
            n = sessions.forgetExpiredBefore(clock.instant().minus(GRACE), BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }
}
