package fi.hg.bus.adapters.mail;

import fi.hg.bus.application.identity.CodeSender;
import fi.hg.bus.domain.identity.EmailAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP sender against a real SMTP peer on the loopback interface, plain and with STARTTLS. */
class SmtpCodeSenderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final EmailAddress TO = EmailAddress.parse("user@example.com");

    @TempDir
    static Path dir;
    private static SSLContext serverTls;
    private static SSLSocketFactory clientTls;

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool, trusted by the client side only. */
    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("smtp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made the certificate");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        clientTls = client.getSocketFactory();
    }

    private static SmtpSettings settings(int port, String user, String password) {
        return new SmtpSettings("127.0.0.1", port, "Bus <no-reply@bus.example.com>", user, password, Duration.ofSeconds(5));
    }

    @Test
    void a_code_is_mailed_as_one_plain_text_message() throws Exception {
        try (SmtpReceiver relay = new SmtpReceiver(null, false)) {
            new SmtpCodeSender(settings(relay.port(), null, null), clientTls, CLOCK).send(TO, "042917", Duration.ofMinutes(10));
            SmtpReceiver.Session session = relay.sessions().getFirst();
            assertEquals("MAIL FROM:<no-reply@bus.example.com>", session.commands().get(1));
            assertEquals("RCPT TO:<user@example.com>", session.commands().get(2));
            assertEquals("DATA", session.commands().get(3));
            String message = session.message();
            assertTrue(message.startsWith("From: Bus <no-reply@bus.example.com>\r\nTo: <user@example.com>\r\n"), message);
            assertTrue(message.contains("Subject: Your Bus sign-in code\r\n"), message);
            assertTrue(message.contains("Date: Mon, 23 Nov 2026 10:00:00 GMT\r\n"), message);
            assertTrue(message.contains("Content-Type: text/plain; charset=UTF-8\r\n"), message);
            assertTrue(message.contains("\r\n\r\nYour one-time code for signing in to Bus:\r\n\r\n    042917\r\n"), message);
            assertTrue(message.contains("It is good for 10 minutes and can be used once."), message);
            assertFalse(message.split("\r\n\r\n", 2)[0].contains("042917"), "the code is not in a header");
            assertFalse(session.tls());
            assertNull(session.authenticatedAs());
        }
    }

    @Test
    void starttls_is_used_when_offered_and_then_the_credentials_are_sent() throws Exception {
        try (SmtpReceiver relay = new SmtpReceiver(serverTls, true)) {
            new SmtpCodeSender(settings(relay.port(), "bus", "relay-password"), clientTls, CLOCK).send(TO, "123456", Duration.ofMinutes(1));
            SmtpReceiver.Session session = relay.sessions().getFirst();
            assertTrue(session.tls(), "the message went over TLS");
            assertEquals("bus:relay-password", session.authenticatedAs());
            List<String> commands = session.commands();
            assertEquals("STARTTLS", commands.get(1));
            assertTrue(commands.get(2).startsWith("EHLO "), "EHLO again after STARTTLS");
            assertTrue(session.message().contains("It is good for 1 minute and"));
        }
    }

    @Test
    void a_relay_whose_certificate_is_not_trusted_gets_nothing() throws Exception {
        try (SmtpReceiver relay = new SmtpReceiver(serverTls, true)) {
            SmtpCodeSender sender = new SmtpCodeSender(settings(relay.port(), "bus", "relay-password"),
                    (SSLSocketFactory) SSLSocketFactory.getDefault(), CLOCK);
            CodeSender.NotSent e = assertThrows(CodeSender.NotSent.class, () -> sender.send(TO, "123456", Duration.ofMinutes(1)));
            assertFalse(e.getMessage().contains("relay-password"));
            assertTrue(relay.sessions().isEmpty());
        }
    }

    @Test
    void a_refused_recipient_is_reported_with_the_relays_answer() throws Exception {
        try (SmtpReceiver relay = new SmtpReceiver(null, false)) {
            relay.refuseRecipients();
            CodeSender.NotSent e = assertThrows(CodeSender.NotSent.class, () ->
                    new SmtpCodeSender(settings(relay.port(), null, null), clientTls, CLOCK).send(TO, "123456", Duration.ofMinutes(1)));
            assertTrue(e.getMessage().contains("RCPT was answered 550 5.1.1 no such user here"), e.getMessage());
            assertFalse(e.getMessage().contains("123456"));
        }
    }

    @Test
    void a_relay_that_is_not_there_is_reported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closed = port;
        CodeSender.NotSent e = assertThrows(CodeSender.NotSent.class, () ->
                new SmtpCodeSender(settings(closed, null, null), clientTls, CLOCK).send(TO, "123456", Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    }

    @Test
    void a_peer_that_does_not_speak_smtp_is_reported() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var s = peer.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            t.start();
            CodeSender.NotSent e = assertThrows(CodeSender.NotSent.class, () ->
                    new SmtpCodeSender(settings(peer.getLocalPort(), null, null), clientTls, CLOCK).send(TO, "123456", Duration.ofMinutes(1)));
            assertTrue(e.getMessage().contains("not SMTP"), e.getMessage());
            t.join();
        }
    }

    @Test
    void the_settings_refuse_what_cannot_work_and_never_show_the_password() {
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("mail example", 25, "a@example.com", null, null, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("mail", 0, "a@example.com", null, null, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("mail", 25, "a@example.com\r\nBcc: x@y.com", null, null, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("mail", 25, "Bus <nobody>", null, null, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("mail", 25, "a@example.com", "user", null, Duration.ofSeconds(1)));
        assertFalse(new SmtpSettings("mail", 25, "a@example.com", "user", "s3cret-pass", Duration.ofSeconds(1)).toString().contains("s3cret-pass"));
    }

    @Test
    void the_memory_sender_keeps_the_last_code_of_each_address() {
        MemoryCodeSender memory = new MemoryCodeSender();
        memory.send(TO, "111111", Duration.ofMinutes(1));
        memory.send(TO, "222222", Duration.ofMinutes(1));
        assertEquals("222222", memory.lastCode(TO).orElseThrow());
        assertTrue(memory.lastCode(EmailAddress.parse("other@example.com")).isEmpty());
        for (int i = 0; i < MemoryCodeSender.MAX_ADDRESSES; i++) {
            memory.send(EmailAddress.parse("u" + i + "@example.com"), "333333", Duration.ofMinutes(1));
        }
        assertTrue(memory.lastCode(TO).isEmpty(), "the oldest address is forgotten");
    }

    @Test
    void the_console_sender_logs_the_code_in_the_documented_form() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ConsoleCodeSender.LOGGER);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            new ConsoleCodeSender().send(TO, "654321", Duration.ofMinutes(10));
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(List.of("BUS_AUTH_OTP user@example.com 654321"), lines);
    }
}
