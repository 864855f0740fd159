package fi.hg.bus.adapters.http;

import java.util.List;

/**
 * A request that is answered with an error envelope {@code {"error":{"type","message"}}}. Thrown by
 * handlers and mapped to the response in one place ({@link HttpApi}).
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final List<String> problems;

    public ApiError(int status, String type, String message) {
        this(status, type, message, List.of());
    }

    public ApiError(int status, String type, String message, List<String> problems) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.problems = List.copyOf(problems);
    }

    /** 400 listing every problem of a request, each naming where it is. */
    public static ApiError invalid(String what, List<String> problems) {
        return new ApiError(400, "bad_request", what + ": " + String.join("; ", problems), problems);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    /** The problems listed with a 400, or none. */
    public List<String> problems() {
        return problems;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    public static ApiError invalidAuth(String message) {
        return new ApiError(401, "invalid_auth", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "request_body_too_large", message);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message);
    }

    public static ApiError storageUnavailable(String message) {
        return new ApiError(503, "storage_unavailable", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
