package fi.hg.bus.app.e2e;

import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.SecretFile;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.domain.auth.SigningSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code bus serve} reads its environment and options (SPEC 1, 2). */
class ServeConfigurationTest {

    private static final String SECRET = TestServer.SECRET;
    private static final String URL_A = "postgres://bus:pw-alpha-123@db.example:5432/bus?sslmode=disable";
    private static final String URL_B = "postgres://bus:pw-beta-456@db.example:5432/bus?sslmode=disable";

    @ParameterizedTest
    @ValueSource(strings = {"BUS_DATABASE_URL", "BUS_USAGE_DATABASE_URL", "BUS_BILLING_DATABASE_URL", "BUS_AUTH_POSTGRES_DSN"})
    void everyNameOfTheDatabaseUrlSelectsPostgres(String name) {
        ServeConfig config = read(Map.of(name, URL_A, "BUS_AUTH_HS256_SECRET", SECRET));
        assertEquals(ServeConfig.Store.POSTGRES, config.store());
        var url = config.databaseUrl().orElseThrow();
        assertEquals("jdbc:postgresql://db.example:5432/bus?sslmode=disable", url.jdbcUrl());
        assertEquals("bus", url.user());
        assertEquals("pw-alpha-123", url.password());
    }

    @Test
    void aJdbcUrlIsAcceptedAsItIs() {
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/bus?user=bus&password=pw";
        ServeConfig config = read(Map.of("BUS_DATABASE_URL", jdbc, "BUS_AUTH_HS256_SECRET", SECRET));
        assertEquals(jdbc, config.databaseUrl().orElseThrow().jdbcUrl());
        assertFalse(config.databaseUrl().orElseThrow().toString().contains("pw"), "the password is not shown");
    }

    @Test
    void twoDatabaseUrlNamesWithTheSameValueAreFine() {
        ServeConfig config = read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_USAGE_DATABASE_URL", URL_A,
                "BUS_AUTH_POSTGRES_DSN", URL_A, "BUS_AUTH_HS256_SECRET", SECRET));
        assertTrue(config.databaseUrl().isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUS_USAGE_DATABASE_URL", "BUS_BILLING_DATABASE_URL", "BUS_AUTH_POSTGRES_DSN"})
    void twoDatabaseUrlNamesWithDifferentValuesAreAnErrorNamingBothButNotTheirValues(String alias) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", URL_A, alias, URL_B, "BUS_AUTH_HS256_SECRET", SECRET)));
        assertTrue(e.getMessage().contains("BUS_DATABASE_URL") && e.getMessage().contains(alias), e.getMessage());
        assertNoneShown(e.getMessage(), URL_A, URL_B, "pw-alpha-123", "pw-beta-456", "db.example");
    }

    @Test
    void twoAliasesOfTheDatabaseUrlDisagreeingAreNamedToo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_BILLING_DATABASE_URL", URL_A, "BUS_AUTH_POSTGRES_DSN", URL_B, "BUS_AUTH_HS256_SECRET", SECRET)));
        assertTrue(e.getMessage().contains("BUS_BILLING_DATABASE_URL") && e.getMessage().contains("BUS_AUTH_POSTGRES_DSN"), e.getMessage());
        assertNoneShown(e.getMessage(), URL_A, URL_B, "pw-alpha-123", "pw-beta-456");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://bus:pw-gamma-789@db/bus", "postgres://bus:pw-gamma-789@/bus", "postgres://bus:pw gamma 789@db/bus"})
    void aBadDatabaseUrlIsAnErrorThatDoesNotShowIt(String url) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", url, "BUS_AUTH_HS256_SECRET", SECRET)));
        assertNoneShown(e.getMessage(), url, "pw-gamma-789", "pw gamma 789");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUS_AUTH_HS256_SECRET", "BUS_USAGE_JWT_SECRET", "BUS_BILLING_JWT_SECRET"})
    void everyNameOfTheSecretIsRead(String name) {
        ServeConfig config = read(Map.of("BUS_DATABASE_URL", URL_A, name, SECRET));
        assertEquals(SigningSecret.parse(SECRET), config.signingSecret().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BUS_USAGE_JWT_SECRET", "BUS_BILLING_JWT_SECRET"})
    void twoSecretNamesWithDifferentValuesAreAnErrorNamingBothButNotTheirValues(String alias) {
        String other = "another-secret-value-that-is-long-enough-42";
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", SECRET, alias, other)));
        assertTrue(e.getMessage().contains("BUS_AUTH_HS256_SECRET") && e.getMessage().contains(alias), e.getMessage());
        assertNoneShown(e.getMessage(), SECRET, other);
        // the same value twice is fine
        assertTrue(read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", SECRET, alias, SECRET))
                .signingSecret().isPresent());
    }

    @Test
    void aSecretShorterThan32BytesIsAnError() {
        String shortSecret = "x".repeat(31);
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", shortSecret)));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertNoneShown(e.getMessage(), shortSecret);
        assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_USAGE_JWT_SECRET", "short")));
        String shortBase64 = "base64:" + Base64.getEncoder().encodeToString(new byte[31]);
        assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", shortBase64)));
        assertTrue(read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", "x".repeat(32))).signingSecret().isPresent());
    }

    @Test
    void aPlainSecretIsRawTextAndOnlyTheBase64PrefixIsDecoded() {
        byte[] raw = new byte[40];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7);
        }
        String encoded = Base64.getEncoder().encodeToString(raw);
        assertEquals(SigningSecret.ofBytes(raw),
                read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", "base64:" + encoded)).signingSecret().orElseThrow());
        assertEquals(SigningSecret.ofBytes(encoded.getBytes(StandardCharsets.UTF_8)),
                read(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", encoded)).signingSecret().orElseThrow(),
                "a value that looks like base64 is still raw text");
    }

    @Test
    void aConfiguredDatabaseNeedsASecret() {
        assertThrows(ConfigException.class, () -> read(Map.of("BUS_DATABASE_URL", URL_A)));
    }

    @Test
    void theEmbeddedStoreIsUsedWithoutAUrlAndMayGoWithoutASecret(@TempDir Path dir) {
        ServeConfig config = read(Map.of("BUS_DATA_DIR", dir.toString()));
        assertEquals(ServeConfig.Store.EMBEDDED, config.store());
        assertEquals(dir, config.dataDirectory());
        assertTrue(config.signingSecret().isEmpty());
        assertTrue(config.databaseUrl().isEmpty());
    }

    @Test
    void storePostgresWithoutAUrlIsAccepted() {
        ServeConfig fromOption = ServeConfig.read(new Env(Map.of("BUS_AUTH_HS256_SECRET", SECRET)), "127.0.0.1:0", "postgres");
        assertEquals(ServeConfig.Store.POSTGRES, fromOption.store());
        assertTrue(fromOption.databaseUrl().isEmpty());
        ServeConfig fromEnv = read(Map.of("BUS_STORE", "postgres", "BUS_AUTH_HS256_SECRET", SECRET));
        assertEquals(ServeConfig.Store.POSTGRES, fromEnv.store());
        ServeConfig withUrl = ServeConfig.read(new Env(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", SECRET)),
                "127.0.0.1:0", "postgres");
        assertTrue(withUrl.databaseUrl().isPresent());
    }

    @Test
    void storeEmbeddedWithAUrlIsAnError() {
        assertThrows(ConfigException.class, () -> ServeConfig.read(
                new Env(Map.of("BUS_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", SECRET)), "127.0.0.1:0", "embedded"));
        ConfigException e = assertThrows(ConfigException.class, () -> read(
                Map.of("BUS_STORE", "embedded", "BUS_USAGE_DATABASE_URL", URL_A, "BUS_AUTH_HS256_SECRET", SECRET)));
        assertNoneShown(e.getMessage(), URL_A, "pw-alpha-123");
    }

    @Test
    void anUnknownStoreIsAnError() {
        assertThrows(ConfigException.class, () -> ServeConfig.read(new Env(Map.of()), "127.0.0.1:0", "sqlite"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1:", ":8080", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:http", ""})
    void aBadAddressIsAnError(String addr) {
        assertThrows(ConfigException.class, () -> ServeConfig.read(new Env(Map.of()), addr, null));
    }

    @Test
    void goodAddressesAreRead() {
        ServeConfig v4 = ServeConfig.read(new Env(Map.of()), "0.0.0.0:9090", null);
        assertEquals("0.0.0.0", v4.host());
        assertEquals(9090, v4.port());
        ServeConfig v6 = ServeConfig.read(new Env(Map.of()), "[::1]:8081", null);
        assertEquals("::1", v6.host());
        assertEquals(8081, v6.port());
        ServeConfig byDefault = ServeConfig.read(new Env(Map.of()), null, null);
        assertEquals("127.0.0.1", byDefault.host());
        assertEquals(8080, byDefault.port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "35d", "99999999999"})
    void aDedupePeriodThatIsNotAPositiveIntegerIsAnError(String days) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("BUS_USAGE_DEDUPE_DAYS", days)));
        assertTrue(e.getMessage().contains("BUS_USAGE_DEDUPE_DAYS"), e.getMessage());
    }

    @Test
    void theDedupePeriodIsThirtyFiveDaysUnlessSet() {
        assertEquals(Duration.ofDays(35), read(Map.of()).dedupePeriod());
        assertEquals(Duration.ofDays(7), read(Map.of("BUS_USAGE_DEDUPE_DAYS", "7")).dedupePeriod());
    }

    @Test
    void theEmbeddedSecretIsMadeOnceWithMode0600AndReused(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bus-data");
        SigningSecret first = SecretFile.loadOrCreate(data);
        Path file = SecretFile.path(data);
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.bytes().length >= 32);
        String text = Files.readString(file);

        SigningSecret second = SecretFile.loadOrCreate(data);
        assertEquals(first, second);
        assertEquals(text, Files.readString(file), "the file is not rewritten");
        assertEquals(first, SecretFile.read(file));

        SigningSecret elsewhere = SecretFile.loadOrCreate(dir.resolve("other"));
        assertNotEquals(first, elsewhere, "each data directory gets its own random secret");
    }

    private static ServeConfig read(Map<String, String> env) {
        Map<String, String> values = new HashMap<>(env);
        return ServeConfig.read(new Env(values), "127.0.0.1:0", null);
    }

    private static void assertNoneShown(String message, String... secrets) {
        for (String secret : secrets) {
            assertFalse(message.contains(secret), "the message shows " + secret + ": " + message);
        }
    }
}
