package fi.hg.bus.adapters.cli.config;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void the_config_root_is_bus_config_dir_else_xdg_config_home_else_home() {
        assertEquals(Path.of("/c/bus-config"), ConfigRoot.of(Map.of("BUS_CONFIG_DIR", "/c/bus-config", "XDG_CONFIG_HOME", "/x")).directory());
        assertEquals(Path.of("/x/bus"), ConfigRoot.of(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")).directory());
        assertEquals(Path.of("/h/.config/bus"), ConfigRoot.of(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")).directory(),
                "a relative XDG_CONFIG_HOME is ignored, as the XDG specification says");
        assertEquals(Path.of("/h/.config/bus/auth/token"), ConfigRoot.of(Map.of("HOME", "/h")).sessionToken());
        assertEquals(Path.of("/h/.config/bus/auth/api-token"), ConfigRoot.of(Map.of("HOME", "/h")).apiToken());
    }

    @Test
    void a_token_is_written_for_its_owner_only_replacing_the_old_one() throws Exception {
        Path file = dir.resolve("config/auth/api-token");
        TokenFile.write(file, "aaa.bbb.ccc");
        assertEquals("aaa.bbb.ccc\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        TokenFile.write(file, "ddd.eee.fff");
        assertEquals("ddd.eee.fff", TokenFile.read(file).orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(Set.of(file), Set.copyOf(listing.toList()), "no temporary file is left behind");
        }
    }

    @Test
    void reading_trims_drops_a_bearer_prefix_and_refuses_what_is_not_a_token() throws Exception {
        assertTrue(TokenFile.read(dir.resolve("none")).isEmpty());
        assertEquals("a.b.c", TokenFile.read(Files.writeString(dir.resolve("t"), "  Bearer a.b.c \n\n")).orElseThrow());
        for (String bad : new String[]{"", "  \n", "two words", "a.b.c\nsecond line", "ä.b.c"}) {
            CommandFailed e = assertThrows(CommandFailed.class, () -> TokenFile.read(Files.writeString(dir.resolve("bad"), bad)));
            assertEquals(ExitCodes.CREDENTIALS, e.exitCode());
        }
        Files.writeString(dir.resolve("huge"), "a".repeat(20_000));
        assertThrows(CommandFailed.class, () -> TokenFile.read(dir.resolve("huge")));
    }

    @Test
    void writing_where_it_cannot_be_written_is_a_failure_naming_the_place() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a directory");
        CommandFailed e = assertThrows(CommandFailed.class, () -> TokenFile.write(blocker.resolve("auth/token"), "a.b.c"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot save the token in " + blocker.resolve("auth/token")), e.getMessage());
        assertFalse(e.getMessage().contains("a.b.c"));
    }

    @Test
    void claims_are_read_without_checking_the_signature() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"x\",\"aud\":[\"ai.hg.fi/api\"],\"scope\":\"billing:read  billing:setup\",\"exp\":1000}"
                .getBytes(StandardCharsets.UTF_8)) + ".sig";
        JwtClaims claims = JwtClaims.peek(token).orElseThrow();
        assertEquals(Set.of("billing:read", "billing:setup"), claims.scopes());
        assertEquals("ai.hg.fi/api", claims.audience().orElseThrow());
        assertTrue(claims.expiredAt(Instant.ofEpochSecond(1000)));
        assertFalse(claims.expiredAt(Instant.ofEpochSecond(999)));
        assertTrue(JwtClaims.peek("not-a-jwt").isEmpty());
        assertTrue(JwtClaims.peek("a.%%%.c").isEmpty());
        assertTrue(JwtClaims.peek("a." + b64.encodeToString("[1]".getBytes(StandardCharsets.UTF_8)) + ".c").isEmpty());
    }

    @Test
    void secrets_are_redacted_from_messages_but_addresses_are_not() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assertEquals("Unknown option: '--token=[redacted]'", Secrets.redact("Unknown option: '--token=" + jwt + "'"));
        assertEquals("key [redacted] here", Secrets.redact("key sk-abcdefghijklmnop here"));
        String url = "cannot connect to http://bus.example.com/api/v1/billing/status";
        assertEquals(url, Secrets.redact(url));
    }
}
