package fi.hg.bus.application.identity;

import fi.hg.bus.domain.identity.EmailAddress;

import java.time.Duration;

/** Delivers a one-time code to the owner of an address (by mail, to the log, or to memory). */
public interface CodeSender {

    /**
     * Sends {@code code}, good for {@code validFor}, to {@code to}.
     *
     * @throws NotSent when it could not be handed over for delivery
     */
    void send(EmailAddress to, String code, Duration validFor);

    /** The code could not be handed over; the message names the cause and holds no secret and no code. */
    final class NotSent extends RuntimeException {
        public NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
