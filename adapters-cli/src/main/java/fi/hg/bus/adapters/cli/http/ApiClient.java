package fi.hg.bus.adapters.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.TerminalText;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Calls the Bus HTTP API for the commands: one base URL, one bearer token, one timeout for
 * connecting and for the whole answer. Answers are JSON; every failure becomes a
 * {@link CommandFailed} with the exit code the CLI conventions give it:
 * <ul>
 *   <li>401 {@code invalid_auth} and 403 {@code forbidden}: 3 (credentials), with the hint on how to get a token;</li>
 *   <li>402 {@code billing_required} and 429: 4 (refused by the server);</li>
 *   <li>400 and everything else, 503 (storage or payment provider unavailable), no connection, no answer in time: 1.</li>
 * </ul>
 * Messages show the server's error message and the list of problems it gave, one per line; text
 * that comes from the server is stripped of control characters before it reaches a terminal.
 */
public final class ApiClient implements AutoCloseable {

    /**
     * Parses strictly, as the server does: one JSON document, nothing after it, no repeated keys;
     * numbers are kept exactly as written.
     */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final String JSON_TYPE = "application/json";

    private final ApiUrl base;
    private final String token;
    private final Duration timeout;
    private final String tokenHint;
    private final HttpClient http;
    private final java.util.Map<String, String> headers;

    /**
     * @param token     the bearer token, or null to send none
     * @param tokenHint appended to credential failures (401/403): how to get a token that fits
     */
    public ApiClient(ApiUrl base, String token, Duration timeout, String tokenHint) {
        this(base, token, timeout, tokenHint, java.util.Map.of());
    }

    /** As above, sending {@code headers} (e.g. a shared key) with every request too. */
    public ApiClient(ApiUrl base, String token, Duration timeout, String tokenHint, java.util.Map<String, String> headers) {
        this.headers = java.util.Map.copyOf(headers);
        this.base = Objects.requireNonNull(base, "base");
        this.token = token;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.tokenHint = tokenHint;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    /** {@code node} as indented JSON, for {@code --format json}. */
    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ApiUrl base() {
        return base;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode put(String path, String jsonBody) {
        return send("PUT", path, Objects.requireNonNull(jsonBody, "jsonBody"));
    }

    public JsonNode post(String path, String jsonBody) {
        return send("POST", path, Objects.requireNonNull(jsonBody, "jsonBody"));
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends one request and returns the JSON answer of a 2xx response. */
    public JsonNode send(String method, String path, String jsonBody) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", JSON_TYPE)
                .method(method, jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", JSON_TYPE);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw failure("could not connect to " + uri + " within " + Durations.format(timeout)
                    + " (--timeout); is the server running there? (--api-url, BUS_API_URL)");
        } catch (HttpTimeoutException e) {
            throw failure("no answer from " + uri + " within " + Durations.format(timeout) + " (--timeout)");
        } catch (ConnectException e) {
            throw failure("cannot connect to " + uri + ": " + connectReason(e)
                    + "; is the server running there? (--api-url, BUS_API_URL)");
        } catch (IOException e) {
            throw failure("the request to " + uri + " failed: " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + uri);
        }
        return answer(method, uri, response.statusCode(), response.body(),
                response.headers().firstValue("Location").orElse(null));
    }

    private JsonNode answer(String method, URI uri, int status, String body, String location) {
        if (status >= 200 && status < 300) {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw failure("the answer from " + uri + " is not JSON; is " + base + " a Bus server? (--api-url)");
            }
        }
        if (status >= 300 && status < 400) {
            throw failure(method + " " + uri + " was redirected (" + status + ")"
                    + (location == null ? "" : " to " + TerminalText.safe(location))
                    + "; give the final address with --api-url");
        }
        ErrorEnvelope error = ErrorEnvelope.parse(body);
        if (error == null) {
            throw failure(method + " " + uri + " answered HTTP " + status + " without a Bus error"
                    + "; is " + base + " a Bus server? (--api-url)");
        }
        String summary = error.message().isEmpty() ? error.type() : error.message();
        throw switch (status) {
            case 401 -> new CommandFailed(ExitCodes.CREDENTIALS,
                    "the server did not accept the token (" + error.type() + ": " + summary + ")" + hint());
            case 403 -> new CommandFailed(ExitCodes.CREDENTIALS,
                    "the token may not do this (" + error.type() + ": " + summary + ")" + hint());
            case 402, 429 -> new CommandFailed(ExitCodes.REFUSED, summary + " (" + error.type() + ")");
            case 503 -> failure("storage_unavailable".equals(error.type())
                    ? "the server's storage is unavailable; try again when it is back (" + error.type() + ": " + summary + ")"
                    : "the server cannot do this now; try again (" + error.type() + ": " + summary + ")");
            case 400 -> failure(error.describe());
            default -> failure(method + " " + uri + " answered " + status + " " + error.type() + ": " + summary);
        };
    }

    private String hint() {
        return tokenHint == null ? "" : System.lineSeparator() + tokenHint;
    }

    private static CommandFailed failure(String message) {
        return new CommandFailed(ExitCodes.FAILURE, message);
    }

    /** The JDK reports a refused connection as a ConnectException without a message. */
    private static String connectReason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "the host name does not resolve";
            }
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? "connection refused" : TerminalText.safe(e.getMessage());
    }

    private static String reason(IOException e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : TerminalText.safe(t.getMessage());
    }

    @Override
    public void close() {
        http.close();
    }

    /** The error envelope {@code {"error":{"type","message","problems"?}}}. */
    record ErrorEnvelope(String type, String message, List<String> problems) {

        static ErrorEnvelope parse(String body) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return null;
            }
            JsonNode error = root == null ? null : root.get("error");
            if (error == null || !error.isObject() || !error.path("type").isTextual()) {
                return null;
            }
            List<String> problems = new ArrayList<>();
            error.path("problems").forEach(p -> problems.add(TerminalText.safe(p.asText())));
            return new ErrorEnvelope(TerminalText.safe(error.path("type").asText()),
                    TerminalText.safe(error.path("message").asText("")), problems);
        }

        /**
         * The message, then each problem on a line of its own. The server's message for a list of
         * problems is {@code "what: p1; p2"}; the joined list is not repeated.
         */
        String describe() {
            if (problems.isEmpty()) {
                return message.isEmpty() ? type : message;
            }
            String head = message;
            String joined = ": " + String.join("; ", problems);
            if (head.endsWith(joined)) {
                head = head.substring(0, head.length() - joined.length());
            }
            if (head.isEmpty()) {
                head = type;
            }
            StringBuilder b = new StringBuilder(head).append(" (").append(problems.size())
                    .append(problems.size() == 1 ? " problem):" : " problems):");
            for (String p : problems) {
                b.append(System.lineSeparator()).append(p);
            }
            return b.toString();
        }
    }
}
