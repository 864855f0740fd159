package fi.hg.bus.adapters.mail;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to hand mail over: {@code BUS_AUTH_SMTP_HOST}, {@code _PORT}, {@code _FROM},
 * {@code _USERNAME}, {@code _PASSWORD}. Port 465 speaks TLS from the start; any other port
 * upgrades with STARTTLS when the server offers it. {@link #toString()} never shows the password.
 *
 * @param from     the sender, {@code bus@example.com} or {@code Bus <bus@example.com>}
 * @param username null for no authentication (then {@code password} is null too)
 */
public record SmtpSettings(String host, int port, String from, String username, String password, Duration timeout) {

    public static final int DEFAULT_PORT = 25;
    public static final int IMPLICIT_TLS_PORT = 465;

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        if (host.isBlank() || host.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("BUS_AUTH_SMTP_HOST must be a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("BUS_AUTH_SMTP_PORT must be from 1 to 65535");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("BUS_AUTH_SMTP_USERNAME and BUS_AUTH_SMTP_PASSWORD are set together or not at all");
        }
        MailAddresses.envelope(from);
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + " from " + from + (username == null ? "" : " as " + username) + "]";
    }
}
