package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.Identity;

import java.util.Optional;
import java.util.UUID;

/** An identity as it stands now: its approval and whether its address is verified. */
public final class ReadIdentity {

    private final Identities identities;

    public ReadIdentity(Identities identities) {
        this.identities = identities;
    }

    public Optional<Identity> read(UUID identityId) {
        return identities.find(identityId);
    }
}
