package fi.hg.bus.app.billing;

import fi.hg.bus.app.Main;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code bus serve} reads the payment provider's settings (SPEC 5.6). */
class ProviderConfigTest {

    private static final String KEY = "sk_test_51Configtest0123456789";
    private static final String WEBHOOK = "whsec_configtest0123456789";

    private static Map<String, String> stripe() {
        Map<String, String> env = new HashMap<>();
        env.put("BUS_BILLING_PROVIDER_BACKEND", "stripe");
        env.put("BUS_STRIPE_SECRET_KEY", KEY);
        env.put("BUS_STRIPE_WEBHOOK_SECRET", WEBHOOK);
        return env;
    }

    private static String refused(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ProviderConfig.read(new Env(env))).getMessage();
    }

    @Test
    void the_local_provider_is_the_default_and_needs_nothing() {
        ProviderConfig config = ProviderConfig.read(new Env(Map.of()));

        assertEquals(ProviderConfig.Backend.LOCAL, config.backend());
        assertTrue(config.stripe().isEmpty());
        assertTrue(config.publicUrl().isEmpty());
        assertEquals(Duration.ofSeconds(5), config.exportRetry().first());
    }

    @Test
    void stripe_and_its_bus_name_events_select_stripe_with_its_settings() {
        Map<String, String> env = stripe();
        env.put("BUS_BILLING_PROVIDER_BACKEND", "events");
        env.put("BUS_STRIPE_API_VERSION", "2026-07-29.dahlia");
        env.put("BUS_STRIPE_API_BASE", "http://127.0.0.1:12111/");
        env.put("BUS_STRIPE_DEFAULT_PRICE_ID", "price_1Default");
        env.put("BUS_STRIPE_TIMEOUT", "5s");

        ProviderConfig config = ProviderConfig.read(new Env(env));

        assertEquals(ProviderConfig.Backend.STRIPE, config.backend());
        var s = config.stripe().orElseThrow();
        assertEquals(KEY, s.secretKey());
        assertEquals(WEBHOOK, s.webhookSecret());
        assertEquals("2026-07-29.dahlia", s.apiVersion());
        assertEquals("http://127.0.0.1:12111", s.apiBase());
        assertEquals("price_1Default", s.defaultPriceId());
        assertEquals(Duration.ofSeconds(5), s.timeout());
        assertEquals(ProviderConfig.Backend.STRIPE, ProviderConfig.read(new Env(stripe())).backend());
    }

    @Test
    void a_publishable_key_is_a_startup_error_that_does_not_show_the_key() {
        Map<String, String> env = stripe();
        env.put("BUS_STRIPE_SECRET_KEY", "pk_test_51Publishable0123456789");

        String message = refused(env);

        assertTrue(message.startsWith("BUS_STRIPE_SECRET_KEY: a publishable key (pk_…)"), message);
        assertFalse(message.contains("Publishable0123456789"), message);
    }

    @Test
    void missing_or_wrong_kinds_of_keys_and_secrets_are_startup_errors() {
        Map<String, String> noKey = stripe();
        noKey.remove("BUS_STRIPE_SECRET_KEY");
        assertTrue(refused(noKey).contains("BUS_STRIPE_SECRET_KEY_FILE"));

        Map<String, String> webhookAsKey = stripe();
        webhookAsKey.put("BUS_STRIPE_SECRET_KEY", WEBHOOK);
        assertTrue(refused(webhookAsKey).contains("webhook signing secret"));

        Map<String, String> junk = stripe();
        junk.put("BUS_STRIPE_SECRET_KEY", "hunter2");
        assertFalse(refused(junk).contains("hunter2"));

        Map<String, String> noWebhook = stripe();
        noWebhook.remove("BUS_STRIPE_WEBHOOK_SECRET");
        assertTrue(refused(noWebhook).contains("BUS_STRIPE_WEBHOOK_SECRET"));

        Map<String, String> keyAsWebhook = stripe();
        keyAsWebhook.put("BUS_STRIPE_WEBHOOK_SECRET", KEY);
        assertTrue(refused(keyAsWebhook).contains("whsec_"));
        assertFalse(refused(keyAsWebhook).contains(KEY));

        Map<String, String> badBackend = stripe();
        badBackend.put("BUS_BILLING_PROVIDER_BACKEND", "paypal");
        assertTrue(refused(badBackend).contains("local or stripe"));

        Map<String, String> badBase = stripe();
        badBase.put("BUS_STRIPE_API_BASE", "file:///etc/passwd");
        assertTrue(refused(badBase).contains("BUS_STRIPE_API_BASE"));

        Map<String, String> badPrice = stripe();
        badPrice.put("BUS_STRIPE_DEFAULT_PRICE_ID", "llm-basic-monthly");
        assertTrue(refused(badPrice).contains("price_"));

        Map<String, String> badVersion = stripe();
        badVersion.put("BUS_STRIPE_API_VERSION", "latest");
        assertTrue(refused(badVersion).contains("BUS_STRIPE_API_VERSION"));
    }

    @Test
    void the_secret_key_may_come_from_a_file_but_not_from_both_places(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("stripe.key");
        Files.writeString(file, KEY + "\n");
        Map<String, String> env = stripe();
        env.remove("BUS_STRIPE_SECRET_KEY");
        env.put("BUS_STRIPE_SECRET_KEY_FILE", file.toString());

        assertEquals(KEY, ProviderConfig.read(new Env(env)).stripe().orElseThrow().secretKey());

        env.put("BUS_STRIPE_SECRET_KEY", KEY);
        assertTrue(refused(env).contains("both set"));
        env.remove("BUS_STRIPE_SECRET_KEY");
        env.put("BUS_STRIPE_SECRET_KEY_FILE", dir.resolve("missing.key").toString());
        assertTrue(refused(env).contains("cannot read"));
        Files.writeString(file, "pk_live_0123456789abcdef\n");
        env.put("BUS_STRIPE_SECRET_KEY_FILE", file.toString());
        String message = refused(env);
        assertTrue(message.startsWith("BUS_STRIPE_SECRET_KEY_FILE (" + file + "): a publishable key"), message);
    }

    @Test
    void the_public_url_is_a_base_url() {
        assertEquals(URI.create("https://bus.example.com/base"),
                ProviderConfig.read(new Env(Map.of("BUS_PUBLIC_URL", "https://bus.example.com/base/"))).publicUrl().orElseThrow());
        assertTrue(refused(Map.of("BUS_PUBLIC_URL", "bus.example.com")).contains("BUS_PUBLIC_URL"));
        assertTrue(refused(Map.of("BUS_PUBLIC_URL", "https://bus.example.com/?a=1")).contains("BUS_PUBLIC_URL"));
        assertTrue(refused(Map.of("BUS_USAGE_EXPORT_RETRY_INITIAL", "soon")).contains("BUS_USAGE_EXPORT_RETRY_INITIAL"));
        assertTrue(refused(Map.of("BUS_USAGE_EXPORT_RETRY_INITIAL", "2h")).contains("BUS_USAGE_EXPORT_RETRY_MAX"));
    }

    @Test
    void bus_serve_with_a_publishable_key_stops_with_exit_2_and_the_reason() {
        Map<String, String> env = stripe();
        env.put("BUS_STRIPE_SECRET_KEY", "pk_live_0123456789abcdef");
        env.put("BUS_DATABASE_URL", "postgres://bus@127.0.0.1:1/bus");
        env.put("BUS_AUTH_HS256_SECRET", BillingServers.SECRET);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new Env(env), new String[]{"serve", "--addr", "127.0.0.1:0"}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("publishable key"), err.toString());
        assertFalse(err.toString().contains("0123456789abcdef"), err.toString());
    }
}
