package fi.hg.bus.adapters.cli.operator.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.http.ApiClient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A catalog file given to a command ({@code catalog put}, {@code stripe catalog sync}): UTF-8 JSON
 * holding one object, at most 1 MiB (the most the server takes). Every problem is exit 1 naming
 * the file.
 */
public final class CatalogFile {

    private static final long MAX_BYTES = 1024 * 1024;

    private CatalogFile() {
    }

    /** The file's JSON object, without {@code version} and {@code created_at} (as {@code catalog get} shows them). */
    public static ObjectNode read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw failure(file + " is larger than 1 MiB, the most the server takes");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw failure("cannot read " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw failure(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw failure("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode node;
        try {
            node = ApiClient.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw failure(file + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (!(node instanceof ObjectNode object)) {
            throw failure(file + " must hold a JSON object: {\"products\":[…],\"meters\":[…],\"plans\":[…]}");
        }
        object.remove("version");
        object.remove("created_at");
        return object;
    }

    /** A failure naming the file, exit 1. */
    public static CommandFailed failure(String message) {
        return new CommandFailed(ExitCodes.FAILURE, message);
    }
}
