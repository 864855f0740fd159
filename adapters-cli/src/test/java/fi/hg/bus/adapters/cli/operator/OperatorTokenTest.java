package fi.hg.bus.adapters.cli.operator;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorTokenTest {

    private static final String SCOPES = "billing:read billing:catalog:read billing:catalog:write";

    @TempDir
    Path dir;

    private static OperatorToken fromFile(Path file) {
        OperatorToken t = new OperatorToken();
        t.file = file;
        return t;
    }

    @Test
    void the_token_file_wins_and_its_text_is_trimmed() throws IOException {
        Path file = Files.writeString(dir.resolve("t"), "  aaa.bbb.ccc\n\n");
        assertEquals("aaa.bbb.ccc", fromFile(file).resolve(
                Map.of("BUS_OPERATOR_TOKEN", "env.op.token", "BUS_INTERNAL_TOKEN", "env.in.token"), SCOPES));
    }

    @Test
    void a_bearer_prefix_in_the_file_is_dropped() throws IOException {
        Path file = Files.writeString(dir.resolve("t"), "Bearer aaa.bbb.ccc\n");
        assertEquals("aaa.bbb.ccc", fromFile(file).resolve(Map.of(), SCOPES));
    }

    @Test
    void without_a_file_the_operator_token_comes_before_the_internal_token() {
        OperatorToken t = new OperatorToken();
        assertEquals("op.x.y", t.resolve(Map.of("BUS_OPERATOR_TOKEN", "op.x.y", "BUS_INTERNAL_TOKEN", "in.x.y"), SCOPES));
        assertEquals("in.x.y", t.resolve(Map.of("BUS_INTERNAL_TOKEN", " in.x.y "), SCOPES));
        assertEquals("in.x.y", t.resolve(Map.of("BUS_OPERATOR_TOKEN", "  ", "BUS_INTERNAL_TOKEN", "in.x.y"), SCOPES),
                "a blank variable counts as unset");
    }

    @Test
    void no_token_anywhere_is_exit_3_saying_how_to_issue_one() {
        CommandFailed e = assertThrows(CommandFailed.class, () -> new OperatorToken().resolve(Map.of(), SCOPES));
        assertEquals(ExitCodes.CREDENTIALS, e.exitCode());
        assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
        assertTrue(e.getMessage().contains("BUS_OPERATOR_TOKEN"), e.getMessage());
        assertTrue(e.getMessage().contains("bus operator token --format token issue --local --subject operator --scope \""
                + SCOPES + "\""), e.getMessage());
    }

    @Test
    void a_missing_or_empty_or_garbled_file_is_exit_3() throws IOException {
        assertEquals(ExitCodes.CREDENTIALS, assertThrows(CommandFailed.class,
                () -> fromFile(dir.resolve("nope")).resolve(Map.of(), SCOPES)).exitCode());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals(ExitCodes.CREDENTIALS, assertThrows(CommandFailed.class,
                () -> fromFile(empty).resolve(Map.of(), SCOPES)).exitCode());
        Path twoLines = Files.writeString(dir.resolve("two"), "aaa.bbb.ccc\nX-Injected: yes\n");
        CommandFailed e = assertThrows(CommandFailed.class, () -> fromFile(twoLines).resolve(Map.of(), SCOPES));
        assertEquals(ExitCodes.CREDENTIALS, e.exitCode());
        assertTrue(!e.getMessage().contains("aaa.bbb.ccc"), "the token is never printed");
    }
}
