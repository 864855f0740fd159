package fi.hg.bus.app.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, with nothing checked or fixed on the
 * way out: any header (twice, a wrong {@code Content-Length}, bytes that are not ASCII), any
 * request target, any body. For the fuzzer, which must be able to send what no client library
 * would.
 */
final class RawHttp {

    /** A request exactly as written: the target is sent as it is, headers in order. */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
                   boolean closeOutputAfterBody) {

        String describe() {
            StringBuilder s = new StringBuilder(method).append(' ').append(cut(target, 300));
            for (Map.Entry<String, String> h : headers) {
                s.append("\n  ").append(h.getKey()).append(": ").append(cut(h.getValue(), 200));
            }
            String text = new String(body, StandardCharsets.UTF_8);
            s.append("\n  body (").append(body.length).append(" bytes): ").append(cut(text, 400));
            return s.toString();
        }
    }

    /** An answer; {@code status} 0 when the server closed the connection without one. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static String cut(String s, int max) {
        String c = s.length() > max ? s.substring(0, max) + "…(" + s.length() + " chars)" : s;
        StringBuilder out = new StringBuilder();
        c.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    static Response send(int port, Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> h : request.headers()) {
                head.write((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(head.toByteArray());
                out.write(request.body());
                out.flush();
                if (request.closeOutputAfterBody()) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may answer and close before it has read everything (a body too large)
            }
            try {
                return read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer within 20 s", e);
            }
        }
    }

    /** Reads one answer: the headers, then the body by its length or its chunks, or up to the end of the stream. */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] crlf2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int headerEnd = -1;
        byte[] buffer = new byte[16384];
        int n;
        try {
            while (headerEnd < 0 && (n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                headerEnd = indexOf(all.toByteArray(), crlf2);
            }
        } catch (java.net.SocketException e) {
            if (all.size() == 0) {
                return new Response(0, Map.of(), new byte[0]);
            }
        }
        byte[] raw = all.toByteArray();
        if (raw.length == 0) {
            return new Response(0, Map.of(), raw);
        }
        if (headerEnd < 0) {
            throw new IOException("an answer without the end of its headers: " + cut(new String(raw, StandardCharsets.ISO_8859_1), 300));
        }
        String[] lines = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + cut(lines[0], 200));
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(raw, headerEnd + 4, raw.length - headerEnd - 4);
        boolean chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
        String lengthText = headers.get("content-length");
        try {
            if (chunked) {
                while (!chunksComplete(body.toByteArray()) && (n = in.read(buffer)) >= 0) {
                    body.write(buffer, 0, n);
                }
                return new Response(status, headers, dechunk(body.toByteArray()));
            }
            if (lengthText != null) {
                int length = Integer.parseInt(lengthText);
                while (body.size() < length && (n = in.read(buffer)) >= 0) {
                    body.write(buffer, 0, n);
                }
                if (body.size() < length) {
                    throw new IOException("an answer shorter than its Content-Length");
                }
                return new Response(status, headers, java.util.Arrays.copyOf(body.toByteArray(), length));
            }
            while ((n = in.read(buffer)) >= 0) {
                body.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the answer: keep what came
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static boolean chunksComplete(byte[] body) {
        try {
            int at = 0;
            while (true) {
                int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, at, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
                if (lineEnd < 0) {
                    return false;
                }
                int size = Integer.parseInt(new String(body, at, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
                at += lineEnd + 2;
                if (size == 0) {
                    return true;
                }
                at += size + 2;
                if (at > body.length) {
                    return false;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, at, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                throw new IOException("a chunked answer cut short");
            }
            String sizeText = new String(body, at, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip();
            int size = Integer.parseInt(sizeText, 16);
            at += lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static List<Map.Entry<String, String>> headers() {
        return new ArrayList<>();
    }
}
