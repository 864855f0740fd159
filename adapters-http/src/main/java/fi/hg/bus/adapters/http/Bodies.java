package fi.hg.bus.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads request bodies within a size limit, refusing anything but JSON. */
public final class Bodies {

    /** The limit of ordinary JSON bodies. */
    public static final int DEFAULT_LIMIT = 1024 * 1024;
    /** The limit of usage batches. */
    public static final int USAGE_LIMIT = 10 * 1024 * 1024;

    private Bodies() {
    }

    /** The body as bytes; 415 unless it is JSON, 413 past {@code limit} bytes. */
    public static byte[] json(ServerRequest req, int limit) {
        var contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (contentType.isPresent() && !isJson(contentType.get())) {
            throw ApiError.unsupportedMediaType("request body must be application/json");
        }
        var declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        if (declared.isPresent()) {
            long length;
            try {
                length = Long.parseLong(declared.get().strip());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length is not a number");
            }
            if (length < 0) {
                throw ApiError.badRequest("Content-Length is not a number of bytes");
            }
            if (length > limit) {
                throw tooLarge(limit);
            }
            // read exactly the declared bytes into one array of that size (a small body then
            // costs no larger buffer); fewer means the body was cut short
            byte[] body = read(req, (int) length).orElseThrow(Bodies::cutShort);
            if (body.length < length) {
                throw cutShort();
            }
            return body;
        }
        byte[] body = read(req, limit + 1).orElseThrow(Bodies::cutShort);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    /**
     * Up to {@code max} bytes of the body; empty when the body ended before its declared length
     * (the client stopped sending or went away): that is the client's fault, never a server error.
     */
    public static java.util.Optional<byte[]> read(ServerRequest req, int max) {
        if (!req.content().hasEntity()) {
            return java.util.Optional.of(new byte[0]);
        }
        try (InputStream in = req.content().inputStream()) {
            return java.util.Optional.of(in.readNBytes(max));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The answer to a body that ended before its declared length. */
    public static ApiError cutShort() {
        return ApiError.badRequest("request body ended before its Content-Length; nothing was stored");
    }

    private static ApiError tooLarge(int limit) {
        return ApiError.tooLarge("request body is larger than " + (limit / (1024 * 1024)) + " MiB");
    }

    static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
