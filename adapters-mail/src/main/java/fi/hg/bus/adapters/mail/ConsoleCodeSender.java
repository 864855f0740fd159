package fi.hg.bus.adapters.mail;

import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.domain.identity.EmailAddress;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Development only: writes each code to the server's log as {@code BUS_AUTH_OTP <email> <code>},
 * through the logger {@value #LOGGER}, which logs at INFO whatever the configured level is (a
 * deployment that chose this sender wants to see the codes).
 */
public final class ConsoleCodeSender implements CodeSender {

    public static final String LOGGER = "fi.hg.bus.otp";
    public static final String PREFIX = "BUS_AUTH_OTP";

    /** Held here so that the level set on it is not lost when the logger would be collected. */
    private static final Logger LOG = Logger.getLogger(LOGGER);

    public ConsoleCodeSender() {
        if (LOG.getLevel() == null || LOG.getLevel().intValue() > Level.INFO.intValue()) {
            LOG.setLevel(Level.INFO);
        }
    }

    @Override
    public void send(EmailAddress to, String code, Duration validFor) {
        LOG.info(PREFIX + " " + to.value() + " " + code);
    }
}
