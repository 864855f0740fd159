package fi.hg.bus.adapters.mail;

import fi.hg.bus.domain.identity.EmailAddress;

/** The sender address as configured, and the plain address of it that goes into the SMTP envelope. */
final class MailAddresses {

    private MailAddresses() {
    }

    /**
     * The address inside {@code Name <address>}, or the whole text; refused when it holds line
     * breaks or is not an address.
     */
    static EmailAddress envelope(String from) {
        if (from.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("BUS_AUTH_SMTP_FROM must be one line");
        }
        String address = from.strip();
        int open = address.lastIndexOf('<');
        if (open >= 0) {
            int close = address.indexOf('>', open);
            if (close < 0 || close != address.length() - 1) {
                throw new IllegalArgumentException("BUS_AUTH_SMTP_FROM must be an address or Name <address>");
            }
            address = address.substring(open + 1, close);
        }
        try {
            return EmailAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BUS_AUTH_SMTP_FROM: " + e.getMessage());
        }
    }
}
