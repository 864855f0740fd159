package fi.hg.bus.app.stripe;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.Durations;
import fi.hg.bus.adapters.provider.stripe.StripeGateway;
import fi.hg.bus.adapters.provider.stripe.StripeSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --api-key-file F}, else {@code $BUS_STRIPE_SECRET_KEY_FILE}, else {@code $BUS_STRIPE_SECRET_KEY}:
 * the secret key, never an argument. A missing key or a key of the wrong kind is exit 3.
 */
public final class StripeKey {

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "File holding the Stripe secret key, sk_test_… or sk_live_… "
                    + "(default: $BUS_STRIPE_SECRET_KEY_FILE, else $BUS_STRIPE_SECRET_KEY).")
    Path file;

    /** A Stripe client for the key and the environment's API base, version and timeout. */
    StripeGateway gateway(Map<String, String> env) {
        String key;
        String where;
        Path keyFile = file != null ? file : Optional.ofNullable(blankToNull(env.get("BUS_STRIPE_SECRET_KEY_FILE"))).map(Path::of).orElse(null);
        if (keyFile != null) {
            where = file != null ? "--api-key-file " + keyFile : "$BUS_STRIPE_SECRET_KEY_FILE (" + keyFile + ")";
            key = read(keyFile, where);
        } else if (blankToNull(env.get("BUS_STRIPE_SECRET_KEY")) != null) {
            where = "$BUS_STRIPE_SECRET_KEY";
            key = env.get("BUS_STRIPE_SECRET_KEY").strip();
        } else {
            throw CommandFailed.credentials("no Stripe secret key: give --api-key-file FILE "
                    + "(or set BUS_STRIPE_SECRET_KEY_FILE or BUS_STRIPE_SECRET_KEY)");
        }
        Optional<String> problem = StripeSettings.keyProblem(key);
        if (problem.isPresent()) {
            throw CommandFailed.credentials(where + ": " + problem.get());
        }
        Duration timeout = Duration.ofSeconds(30);
        String timeoutText = blankToNull(env.get("BUS_STRIPE_TIMEOUT"));
        if (timeoutText != null) {
            try {
                timeout = Durations.parse(timeoutText);
            } catch (IllegalArgumentException e) {
                throw CommandFailed.usage("BUS_STRIPE_TIMEOUT must be a duration such as 30s");
            }
        }
        String base = blankToNull(env.get("BUS_STRIPE_API_BASE"));
        return new StripeGateway(new StripeSettings(key, null, blankToNull(env.get("BUS_STRIPE_API_VERSION")),
                base == null ? null : base.strip().replaceAll("/+$", ""), null, timeout));
    }

    private static String read(Path file, String where) {
        try {
            if (Files.size(file) > 4096) {
                throw CommandFailed.credentials(where + " is too large to hold a key");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline).strip();
        } catch (NoSuchFileException e) {
            throw CommandFailed.credentials(where + " does not exist");
        } catch (IOException e) {
            throw CommandFailed.credentials("cannot read " + where + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
