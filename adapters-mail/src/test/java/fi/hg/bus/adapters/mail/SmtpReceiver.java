package fi.hg.bus.adapters.mail;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SMTP server on the loopback interface, the peer a relay would be: it speaks the protocol
 * (EHLO, optional STARTTLS and AUTH, MAIL, RCPT, DATA with dot-stuffing, QUIT), keeps the commands
 * and messages it received, and can be told to refuse recipients.
 */
final class SmtpReceiver implements AutoCloseable {

    /** What one connection carried. */
    record Session(List<String> commands, String message, String authenticatedAs, boolean tls) {
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean offerAuth;
    private volatile boolean refuseRecipients;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Thread thread;

    SmtpReceiver(SSLContext tls, boolean offerAuth) throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.offerAuth = offerAuth;
        this.thread = new Thread(this::serve, "smtp-receiver");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void refuseRecipients() {
        refuseRecipients = true;
    }

    List<Session> sessions() {
        return List.copyOf(sessions);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                converse(socket);
            } catch (IOException e) {
                // the client went away, or the receiver is closing
            }
        }
    }

    private void converse(Socket plain) throws IOException {
        Socket socket = plain;
        List<String> commands = new ArrayList<>();
        String user = null;
        boolean secure = false;
        BufferedReader in = reader(socket);
        OutputStream out = socket.getOutputStream();
        write(out, "220 receiver.test ESMTP ready");
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return;
            }
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            commands.add(upper.startsWith("AUTH PLAIN ") ? "AUTH PLAIN ***" : line);
            if (upper.startsWith("EHLO ")) {
                List<String> features = new ArrayList<>(List.of("receiver.test"));
                if (tls != null && !secure) {
                    features.add("STARTTLS");
                }
                if (offerAuth) {
                    features.add("AUTH PLAIN LOGIN");
                }
                features.add("8BITMIME");
                for (int i = 0; i < features.size(); i++) {
                    write(out, "250" + (i == features.size() - 1 ? " " : "-") + features.get(i));
                }
            } else if (upper.equals("STARTTLS") && tls != null) {
                write(out, "220 go ahead");
                SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                secured.setUseClientMode(false);
                secured.startHandshake();
                socket = secured;
                secure = true;
                in = reader(socket);
                out = socket.getOutputStream();
            } else if (upper.startsWith("AUTH PLAIN ")) {
                String[] parts = new String(Base64.getDecoder().decode(line.substring(11)), StandardCharsets.UTF_8).split("\0", -1);
                user = parts[1] + ":" + parts[2];
                write(out, "235 accepted");
            } else if (upper.startsWith("MAIL FROM:")) {
                write(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                write(out, refuseRecipients ? "550 5.1.1 no such user here" : "250 ok");
            } else if (upper.equals("DATA")) {
                write(out, "354 end with a dot");
                StringBuilder message = new StringBuilder();
                for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
                    message.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
                }
                write(out, "250 queued");
                sessions.add(new Session(List.copyOf(commands), message.toString(), user, secure));
            } else if (upper.equals("QUIT")) {
                write(out, "221 bye");
                return;
            } else {
                write(out, "502 unknown command");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
