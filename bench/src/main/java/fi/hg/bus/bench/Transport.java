package fi.hg.bus.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * How the benchmark's clients speak HTTP to the server on 127.0.0.1. Requests are prepared
 * (serialized) before the clock starts; each client owns one {@link Client}, and each client
 * sends one request at a time.
 *
 * <p>Two kinds: {@code jdk}, the JDK {@link HttpClient} (HTTP/1.1, keep-alive), and {@code raw},
 * a minimal HTTP/1.1 client on one keep-alive socket per client. On a machine with two cores the
 * JDK client costs the server a noticeable share of the CPU it competes for; the raw client costs
 * far less, so its figures are closer to what the server does with clients on other machines.
 */
interface Transport {

    /** A request ready to send. */
    interface Prepared {
    }

    /** An answer: the status and the whole body. */
    record Answer(int status, byte[] body) {
    }

    /** One client: one connection, used by one thread at a time. */
    interface Client extends AutoCloseable {
        Answer send(Prepared request) throws IOException, InterruptedException;

        @Override
        void close();
    }

    Prepared prepare(String method, String pathAndQuery, byte[] body);

    Client open() throws IOException;

    String describe();

    static Transport of(String kind, int port, String token) {
        return switch (kind) {
            case "raw" -> new Raw(port, token);
            case "jdk" -> new Jdk(port, token);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The JDK HttpClient; its pool keeps one keep-alive connection per concurrent request. */
    final class Jdk implements Transport {
        private final int port;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        Jdk(int port, String token) {
            this.port = port;
            this.token = token;
        }

        private record Request(HttpRequest request) implements Prepared {
        }

        @Override
        public Prepared prepare(String method, String pathAndQuery, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token);
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            return new Request(b.build());
        }

        @Override
        public Client open() {
            return new Client() {
                @Override
                public Answer send(Prepared request) throws IOException, InterruptedException {
                    HttpResponse<byte[]> res = http.send(((Request) request).request(), HttpResponse.BodyHandlers.ofByteArray());
                    return new Answer(res.statusCode(), res.body());
                }

                @Override
                public void close() {
                    // the shared pool keeps the connection
                }
            };
        }

        @Override
        public String describe() {
            return "JDK HttpClient (HTTP/1.1, keep-alive)";
        }
    }

    /** A minimal HTTP/1.1 client: one keep-alive socket per client, Content-Length or chunked answers. */
    final class Raw implements Transport {
        private static final int MAX_HEAD = 64 * 1024;
        private static final int MAX_BODY = 256 * 1024 * 1024;

        private final int port;
        private final String token;

        Raw(int port, String token) {
            this.port = port;
            this.token = token;
        }

        private record Request(byte[] bytes) implements Prepared {
        }

        @Override
        public Prepared prepare(String method, String pathAndQuery, byte[] body) {
            StringBuilder head = new StringBuilder(256);
            head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Authorization: Bearer ").append(token).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[h.length + (body == null ? 0 : body.length)];
            System.arraycopy(h, 0, all, 0, h.length);
            if (body != null) {
                System.arraycopy(body, 0, all, h.length, body.length);
            }
            return new Request(all);
        }

        @Override
        public Client open() throws IOException {
            return new Connection(port);
        }

        @Override
        public String describe() {
            return "minimal HTTP/1.1 client, one keep-alive socket per client";
        }

        private static final class Connection implements Client {
            private final int port;
            private Socket socket;
            private InputStream in;
            private OutputStream out;

            Connection(int port) throws IOException {
                this.port = port;
                connect();
            }

            private void connect() throws IOException {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(120_000);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
            }

            @Override
            public Answer send(Prepared request) throws IOException {
                if (socket == null) {
                    connect();
                }
                try {
                    out.write(((Request) request).bytes());
                    out.flush();
                    return read();
                } catch (IOException e) {
                    close();
                    throw e;
                }
            }

            private Answer read() throws IOException {
                String status = line();
                if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                    throw new IOException("not an HTTP/1.1 answer: " + status);
                }
                int code = Integer.parseInt(status.substring(9, 12));
                long length = -1;
                boolean chunked = false;
                boolean closeAfter = false;
                int headBytes = 0;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    headBytes += h.length();
                    if (headBytes > MAX_HEAD) {
                        throw new IOException("answer head is too long");
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                        default -> {
                        }
                    }
                }
                byte[] body;
                if (chunked) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    while (true) {
                        String size = line();
                        int semi = size.indexOf(';');
                        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                        if (n == 0) {
                            while (!line().isEmpty()) {
                                // trailers
                            }
                            break;
                        }
                        if (buf.size() + n > MAX_BODY) {
                            throw new IOException("answer body is too large");
                        }
                        buf.write(in.readNBytes(n));
                        line();
                    }
                    body = buf.toByteArray();
                } else if (length >= 0) {
                    if (length > MAX_BODY) {
                        throw new IOException("answer body is too large");
                    }
                    body = in.readNBytes((int) length);
                    if (body.length != length) {
                        throw new IOException("connection closed in the middle of an answer");
                    }
                } else {
                    body = in.readNBytes(MAX_BODY);
                    closeAfter = true;
                }
                if (closeAfter) {
                    close();
                }
                return new Answer(code, body);
            }

            private String line() throws IOException {
                StringBuilder sb = new StringBuilder(64);
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("connection closed by the server");
                    }
                    if (b == '\n') {
                        int end = sb.length();
                        if (end > 0 && sb.charAt(end - 1) == '\r') {
                            sb.setLength(end - 1);
                        }
                        return sb.toString();
                    }
                    if (sb.length() > MAX_HEAD) {
                        throw new IOException("answer line is too long");
                    }
                    sb.append((char) b);
                }
            }

            @Override
            public void close() {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                    socket = null;
                }
            }
        }
    }
}
