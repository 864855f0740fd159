package fi.hg.bus.adapters.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Strict JSON for request bodies and compact JSON for answers. */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxStringLength(10 * 1024 * 1024)
                    .build())
            .build();

    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private Json() {
    }

    /** Parses a request body that must be one JSON object and nothing after it. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiError.badRequest("request body is empty; a JSON object is expected");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        return object;
    }

    /** The compact text of a JSON value. */
    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an answer with a streaming generator. */
    public static byte[] write(GeneratorWork work) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            work.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    public interface GeneratorWork {
        void write(JsonGenerator g) throws IOException;
    }

    /** The error envelope. */
    public static byte[] error(String type, String message) {
        return error(type, message, java.util.List.of());
    }

    /**
     * The error envelope, with the list of problems when there are several, and the id of the
     * request being answered on this thread ({@link RequestIds}) as {@code request_id}.
     */
    public static byte[] error(String type, String message, java.util.List<String> problems) {
        return error(type, message, problems, RequestIds.current());
    }

    /** The error envelope; {@code requestId} null leaves {@code request_id} out. */
    static byte[] error(String type, String message, java.util.List<String> problems, String requestId) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("type", type);
            g.writeStringField("message", message);
            if (!problems.isEmpty()) {
                g.writeArrayFieldStart("problems");
                for (String p : problems) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            if (requestId != null) {
                g.writeStringField("request_id", requestId);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
