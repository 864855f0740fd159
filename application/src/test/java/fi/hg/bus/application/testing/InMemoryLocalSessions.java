package fi.hg.bus.application.testing;

import fi.hg.bus.application.local.LocalSession;
import fi.hg.bus.application.local.LocalSessions;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local provider's sessions in memory. */
public final class InMemoryLocalSessions implements LocalSessions {

    private final Map<String, LocalSession> sessions = new HashMap<>();

    @Override
    public synchronized void save(LocalSession s) {
        LocalSession old = sessions.get(s.id());
        sessions.put(s.id(), old == null || s.expiresAt().isAfter(old.expiresAt()) ? s : old);
    }

    @Override
    public synchronized Optional<LocalSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public synchronized int forgetExpiredBefore(Instant cutoff, int limit) {
        List<String> old = sessions.values().stream().filter(s -> s.expiresAt().isBefore(cutoff)).map(LocalSession::id)
                .limit(limit).toList();
        old.forEach(sessions::remove);
        return old.size();
    }
}
