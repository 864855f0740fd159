package fi.hg.bus.application.identity;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Registers an email address: a new identity, waitlisted (or approved when the deployment
 * approves everyone). Registering an address again changes nothing and answers its identity.
 */
public final class Register {

    /** The identity of the address, and whether this call made it. */
    public record Registered(Identity identity, boolean created) {
    }

    private final Transactions transactions;
    private final Identities identities;
    private final Supplier<UUID> ids;
    private final boolean autoApprove;
    private final Clock clock;

    public Register(Transactions transactions, Identities identities, Supplier<UUID> ids, boolean autoApprove, Clock clock) {
        this.transactions = transactions;
        this.identities = identities;
        this.ids = ids;
        this.autoApprove = autoApprove;
        this.clock = clock;
    }

    public Registered register(EmailAddress email) {
        return transactions.inTransaction(() -> {
            var existing = identities.find(email);
            if (existing.isPresent()) {
                return new Registered(existing.get(), false);
            }
            Identity identity = Identity.register(ids.get(), email, autoApprove, clock.instant());
            if (identities.add(identity)) {
                return new Registered(identity, true);
            }
            // registered at the same moment by another request
            return new Registered(identities.find(email).orElseThrow(), false);
        });
    }
}
