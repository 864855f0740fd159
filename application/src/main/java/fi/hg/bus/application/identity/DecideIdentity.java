package fi.hg.bus.application.identity;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.identity.EmailAddress;
import fi.hg.bus.domain.identity.Identity;
import fi.hg.bus.domain.identity.IdentityStatus;

import java.time.Clock;

/**
 * An operator approves or rejects a registration. Deciding again is allowed (an approved identity
 * can be rejected later, a rejected one approved); deciding the same again changes nothing.
 */
public final class DecideIdentity {

    public enum Decision {
        APPROVE(IdentityStatus.APPROVED), REJECT(IdentityStatus.REJECTED);

        private final IdentityStatus status;

        Decision(IdentityStatus status) {
            this.status = status;
        }
    }

    public sealed interface Result {
        record Decided(Identity identity) implements Result {
        }

        record UnknownEmail() implements Result {
        }
    }

    private final Transactions transactions;
    private final Identities identities;
    private final Clock clock;

    public DecideIdentity(Transactions transactions, Identities identities, Clock clock) {
        this.transactions = transactions;
        this.identities = identities;
        this.clock = clock;
    }

    public Result decide(EmailAddress email, Decision decision) {
        return transactions.inTransaction(() -> {
            var found = identities.lock(email);
            if (found.isEmpty()) {
                return new Result.UnknownEmail();
            }
            Identity identity = found.get();
            if (identity.status() == decision.status) {
                return new Result.Decided(identity);
            }
            Identity decided = identity.withStatus(decision.status);
            identities.save(decided, clock.instant());
            return new Result.Decided(decided);
        });
    }
}
