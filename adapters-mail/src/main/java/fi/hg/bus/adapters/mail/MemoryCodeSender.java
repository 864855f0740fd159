package fi.hg.bus.adapters.mail;

import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.domain.identity.EmailAddress;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the codes in the server's memory and sends them nowhere: for tests and programs that embed
 * the server and read the codes through {@link #lastCode}. Holds the last code of at most
 * {@value #MAX_ADDRESSES} addresses, forgetting the oldest.
 */
public final class MemoryCodeSender implements CodeSender {

    static final int MAX_ADDRESSES = 10_000;

    private final Map<EmailAddress, String> codes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EmailAddress, String> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    @Override
    public synchronized void send(EmailAddress to, String code, Duration validFor) {
        codes.remove(to);
        codes.put(to, code);
    }

    /** The last code sent to {@code to}. */
    public synchronized Optional<String> lastCode(EmailAddress to) {
        return Optional.ofNullable(codes.get(to));
    }
}
