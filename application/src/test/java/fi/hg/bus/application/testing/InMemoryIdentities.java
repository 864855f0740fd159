package fi.hg.bus.application.testing;

import fi.hg.bus.application.identity.Identities;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.IdentityStatus;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Identities in a map; {@link #lock} is a plain read (the in-memory transactions run one at a time). */
public final class InMemoryIdentities implements Identities {

    private final Map<UUID, Identity> byId = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Identity> find(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Identity> find(EmailAddress email) {
        return byId.values().stream().filter(i -> i.email().equals(email)).findFirst();
    }

    @Override
    public Optional<Identity> lock(EmailAddress email) {
        return find(email);
    }

    @Override
    public synchronized boolean add(Identity identity) {
        if (find(identity.email()).isPresent()) {
            return false;
        }
        byId.put(identity.id(), identity);
        return true;
    }

    @Override
    public synchronized void save(Identity identity, Instant at) {
        byId.put(identity.id(), identity);
    }

    @Override
    public synchronized List<Identity> waitlisted(int limit) {
        return byId.values().stream().filter(i -> i.status() == IdentityStatus.WAITLISTED)
                .sorted(Comparator.comparing(Identity::createdAt)).limit(limit).toList();
    }
}
