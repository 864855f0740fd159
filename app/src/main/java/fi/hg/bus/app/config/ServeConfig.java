package fi.hg.bus.app.config;

import fi.hg.bus.adapters.persistence.store.DatabaseUrl;
import fi.hg.bus.application.dashboard.ReadKeyBalance;
import fi.hg.bus.domain.auth.SigningSecret;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.metering.ExportPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code bus serve} needs, read once from the command line and the environment.
 *
 * @param signingSecret empty only on the embedded store, whose secret is made on first start
 * @param dashboard     API keys' meter, the dashboard's display and its rate limit
 * @param shutdown      how SIGTERM and SIGINT drain and stop the server
 * @param observability the log format and who may read the metrics
 */
public record ServeConfig(String host, int port, Store store, Optional<DatabaseUrl> databaseUrl, Path dataDirectory,
                          Optional<SigningSecret> signingSecret, Duration dedupePeriod, int poolSize,
                          ExportPolicy exportPolicy, Optional<Map<String, List<QuotaRule>>> quotaFile,
                          ReadKeyBalance.Settings dashboard, AuthConfig auth, ProviderConfig providers,
                          ShutdownConfig shutdown, ObservabilityConfig observability) {

    /** Where data is kept. */
    public enum Store {
        /** The configured PostgreSQL server; with no URL the server runs unavailable. */
        POSTGRES,
        /** The embedded PostgreSQL in the data directory. */
        EMBEDDED
    }

    public static final String DEFAULT_ADDR = "127.0.0.1:8080";

    public static ServeConfig read(Env env, String addr, String storeOption) {
        HostPort hostPort = HostPort.parse(addr == null ? DEFAULT_ADDR : addr);
        Optional<DatabaseUrl> url = env.aliased("BUS_DATABASE_URL",
                "BUS_USAGE_DATABASE_URL", "BUS_BILLING_DATABASE_URL", "BUS_AUTH_POSTGRES_DSN").map(text -> {
            try {
                return DatabaseUrl.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("BUS_DATABASE_URL: " + e.getMessage());
            }
        });
        String storeText = storeOption != null ? storeOption : env.get("BUS_STORE").orElse(null);
        Store store;
        if (storeText == null) {
            store = url.isPresent() ? Store.POSTGRES : Store.EMBEDDED;
        } else {
            store = switch (storeText.strip().toLowerCase(Locale.ROOT)) {
                case "postgres", "postgresql" -> Store.POSTGRES;
                case "embedded" -> Store.EMBEDDED;
                default -> throw new ConfigException("--store (BUS_STORE) must be postgres or embedded");
            };
            if (store == Store.EMBEDDED && url.isPresent()) {
                throw new ConfigException("--store embedded was asked for, but a database URL is configured; "
                        + "a configured database is never replaced by the embedded one");
            }
        }
        Path dataDirectory = env.get("BUS_DATA_DIR").map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".local", "share", "bus"));
        Optional<SigningSecret> secret = env.aliased("BUS_AUTH_HS256_SECRET",
                "BUS_USAGE_JWT_SECRET", "BUS_BILLING_JWT_SECRET").map(text -> {
            try {
                return SigningSecret.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("BUS_AUTH_HS256_SECRET: " + e.getMessage());
            }
        });
        if (secret.isEmpty() && store == Store.POSTGRES) {
            throw new ConfigException("BUS_AUTH_HS256_SECRET is required with a configured database "
                    + "(at least 32 bytes; write base64:<value> for a base64-encoded secret)");
        }
        Duration dedupe = Duration.ofDays(env.positiveInt("BUS_USAGE_DEDUPE_DAYS", 35));
        int poolSize = env.positiveInt("BUS_DATABASE_POOL_SIZE", 16);
        return new ServeConfig(hostPort.host(), hostPort.port(), store, url, dataDirectory, secret, dedupe, poolSize,
                BillingFiles.exportPolicy(env), BillingFiles.quotaFile(env), DashboardSettings.read(env),
                AuthConfig.read(env), ProviderConfig.read(env), ShutdownConfig.read(env), ObservabilityConfig.read(env));
    }

    record HostPort(String host, int port) {
        static HostPort parse(String addr) {
            int colon = addr.lastIndexOf(':');
            if (colon <= 0 || colon == addr.length() - 1) {
                throw new ConfigException("--addr must be HOST:PORT, e.g. 127.0.0.1:8080");
            }
            String host = addr.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(addr.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new ConfigException("--addr: the port must be a number from 0 to 65535");
            }
        }
    }
}
