package fi.hg.bus.adapters.mail;

import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.domain.identity.EmailAddress;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Mails each code through an SMTP relay (RFC 5321): one connection per code, EHLO, STARTTLS when
 * the server offers it (or TLS from the start on port 465, with the server's certificate and host
 * name checked), AUTH PLAIN or LOGIN when a user name is configured, then one plain-text message.
 * Credentials are never sent over a connection without TLS unless the relay is on this machine.
 */
public final class SmtpCodeSender implements CodeSender {

    private static final Logger LOG = Logger.getLogger(SmtpCodeSender.class.getName());
    private static final int MAX_REPLY_LINES = 100;

    private final SmtpSettings settings;
    private final SSLSocketFactory tls;
    private final Clock clock;

    public SmtpCodeSender(SmtpSettings settings, SSLSocketFactory tls, Clock clock) {
        this.settings = settings;
        this.tls = tls;
        this.clock = clock;
    }

    public SmtpCodeSender(SmtpSettings settings, Clock clock) {
        this(settings, (SSLSocketFactory) SSLSocketFactory.getDefault(), clock);
    }

    @Override
    public void send(EmailAddress to, String code, Duration validFor) {
        try {
            deliver(to, code, validFor);
        } catch (IOException e) {
            throw new NotSent("the SMTP relay " + settings.host() + ":" + settings.port() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private void deliver(EmailAddress to, String code, Duration validFor) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), (int) settings.timeout().toMillis());
            socket.setSoTimeout((int) settings.timeout().toMillis());
            boolean secure = false;
            if (settings.port() == SmtpSettings.IMPLICIT_TLS_PORT) {
                socket = upgrade(socket);
                secure = true;
            }
            Connection c = new Connection(socket);
            c.expect(220, "greeting");
            List<String> features = c.ehlo(helloName(socket));
            if (!secure && offers(features, "STARTTLS")) {
                c.command("STARTTLS", 220);
                socket = upgrade(socket);
                secure = true;
                c = new Connection(socket);
                features = c.ehlo(helloName(socket));
            }
            if (settings.username() != null) {
                if (!secure && !socket.getInetAddress().isLoopbackAddress()) {
                    throw new IOException("the relay offers no TLS; the SMTP password is not sent over a plain connection");
                }
                authenticate(c, features);
            }
            c.command("MAIL FROM:<" + MailAddresses.envelope(settings.from()).value() + ">", 250);
            c.command("RCPT TO:<" + to.value() + ">", 250, 251);
            c.command("DATA", 354);
            c.data(message(to, code, validFor));
            c.expect(250, "message");
            try {
                c.command("QUIT", 221);
            } catch (IOException e) {
                LOG.fine("the SMTP relay did not close politely: " + e.getMessage());
            }
        } finally {
            socket.close();
        }
    }

    private Socket upgrade(Socket plain) throws IOException {
        SSLSocket secure = (SSLSocket) tls.createSocket(plain, settings.host(), settings.port(), true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.setSoTimeout((int) settings.timeout().toMillis());
        secure.startHandshake();
        return secure;
    }

    private void authenticate(Connection c, List<String> features) throws IOException {
        String mechanisms = features.stream().filter(f -> f.toUpperCase(Locale.ROOT).startsWith("AUTH"))
                .findFirst().orElse("").toUpperCase(Locale.ROOT);
        Base64.Encoder b64 = Base64.getEncoder();
        if (mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN")) {
            String credentials = "\0" + settings.username() + "\0" + settings.password();
            c.command("AUTH PLAIN " + b64.encodeToString(credentials.getBytes(StandardCharsets.UTF_8)), "AUTH PLAIN", 235);
        } else {
            c.command("AUTH LOGIN", 334);
            c.command(b64.encodeToString(settings.username().getBytes(StandardCharsets.UTF_8)), "the user name", 334);
            c.command(b64.encodeToString(settings.password().getBytes(StandardCharsets.UTF_8)), "the password", 235);
        }
    }

    private static boolean offers(List<String> features, String feature) {
        return features.stream().anyMatch(f -> f.toUpperCase(Locale.ROOT).equals(feature)
                || f.toUpperCase(Locale.ROOT).startsWith(feature + " "));
    }

    private static String helloName(Socket socket) {
        InetAddress local = socket.getLocalAddress();
        return local instanceof java.net.Inet6Address ? "[IPv6:" + local.getHostAddress() + "]" : "[" + local.getHostAddress() + "]";
    }

    String message(EmailAddress to, String code, Duration validFor) {
        long minutes = Math.max(1, validFor.toMinutes());
        String from = settings.from().strip();
        String domain = MailAddresses.envelope(from).value();
        domain = domain.substring(domain.indexOf('@') + 1);
        return "From: " + from + "\r\n"
                + "To: <" + to.value() + ">\r\n"
                + "Subject: Your Bus sign-in code\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock)) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + domain + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "\r\n"
                + "Your one-time code for signing in to Bus:\r\n"
                + "\r\n"
                + "    " + code + "\r\n"
                + "\r\n"
                + "It is good for " + minutes + (minutes == 1 ? " minute" : " minutes") + " and can be used once.\r\n"
                + "Enter it with: bus auth verify --email " + to.value() + " --otp " + code + "\r\n"
                + "\r\n"
                + "If you did not ask for it, you can ignore this message.\r\n";
    }

    /** One SMTP conversation over a socket: commands out, replies (possibly several lines) in. */
    private static final class Connection {
        private final BufferedReader in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        List<String> ehlo(String name) throws IOException {
            write("EHLO " + name + "\r\n");
            Reply reply = read();
            if (reply.code() != 250) {
                throw new IOException("EHLO was answered " + reply.describe());
            }
            return reply.lines().subList(1, reply.lines().size());
        }

        void command(String line, int... accepted) throws IOException {
            command(line, line.split(" ", 2)[0], accepted);
        }

        /** Sends {@code line}; {@code shown} names it in errors (never the line: it may hold a credential). */
        void command(String line, String shown, int... accepted) throws IOException {
            write(line + "\r\n");
            Reply reply = read();
            for (int code : accepted) {
                if (reply.code() == code) {
                    return;
                }
            }
            throw new IOException(shown + " was answered " + reply.describe());
        }

        void expect(int code, String what) throws IOException {
            Reply reply = read();
            if (reply.code() != code) {
                throw new IOException("the " + what + " was answered " + reply.describe());
            }
        }

        /** The message, dot-stuffed, ended by a line with a single dot. */
        void data(String message) throws IOException {
            StringBuilder b = new StringBuilder(message.length() + 16);
            for (String line : message.split("\r\n", -1)) {
                if (line.startsWith(".")) {
                    b.append('.');
                }
                b.append(line).append("\r\n");
            }
            b.setLength(b.length() - 2);
            if (!message.endsWith("\r\n")) {
                b.append("\r\n");
            }
            b.append(".\r\n");
            write(b.toString());
        }

        private void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private Reply read() throws IOException {
            List<String> lines = new ArrayList<>();
            int code = -1;
            while (lines.size() < MAX_REPLY_LINES) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the relay closed the connection");
                }
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new IOException("the relay's answer is not SMTP");
                }
                code = Integer.parseInt(line.substring(0, 3));
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return new Reply(code, lines);
                }
                if (line.charAt(3) != '-') {
                    throw new IOException("the relay's answer is not SMTP");
                }
            }
            throw new IOException("the relay's answer has too many lines");
        }
    }

    private record Reply(int code, List<String> lines) {
        String describe() {
            String text = String.join(" ", lines);
            StringBuilder safe = new StringBuilder();
            text.codePoints().limit(200).forEach(c -> safe.appendCodePoint(c < 0x20 || c == 0x7f ? ' ' : c));
            return code + " " + safe;
        }
    }
}
