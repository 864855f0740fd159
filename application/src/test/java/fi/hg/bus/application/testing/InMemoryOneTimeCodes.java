package fi.hg.bus.application.testing;

import fi.hg.bus.application.identity.OneTimeCodes;
import fi.hg.bus.domain.identity.OneTimeCode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One-time codes in a list, in the order issued. */
public final class InMemoryOneTimeCodes implements OneTimeCodes {

    private final List<OneTimeCode> codes = new ArrayList<>();

    @Override
    public synchronized List<Instant> issuedSince(UUID identityId, Instant since) {
        return codes.stream().filter(c -> c.identityId().equals(identityId) && c.createdAt().isAfter(since))
                .map(OneTimeCode::createdAt).toList();
    }

    @Override
    public synchronized void issue(OneTimeCode code) {
        codes.replaceAll(c -> c.identityId().equals(code.identityId()) && c.state() == OneTimeCode.State.OPEN
                ? new OneTimeCode(c.id(), c.identityId(), c.digest(), c.createdAt(), c.expiresAt(), c.failedAttempts(),
                OneTimeCode.State.REPLACED)
                : c);
        codes.add(code);
    }

    @Override
    public synchronized Optional<OneTimeCode> newest(UUID identityId) {
        Optional<OneTimeCode> open = codes.stream()
                .filter(c -> c.identityId().equals(identityId) && c.state() == OneTimeCode.State.OPEN).findFirst();
        return open.isPresent() ? open : codes.reversed().stream().filter(c -> c.identityId().equals(identityId))
                .max(Comparator.comparing(OneTimeCode::createdAt));
    }

    @Override
    public synchronized void save(OneTimeCode code) {
        codes.replaceAll(c -> c.id().equals(code.id()) ? code : c);
    }

    @Override
    public synchronized int forgetIssuedBefore(Instant before) {
        int size = codes.size();
        codes.removeIf(c -> c.createdAt().isBefore(before));
        return size - codes.size();
    }

    /** Every stored code, for assertions. */
    public synchronized List<OneTimeCode> all() {
        return List.copyOf(codes);
    }
}
