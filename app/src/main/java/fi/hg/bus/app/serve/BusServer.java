package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.adapters.http.billing.BillingService;
import fi.hg.bus.adapters.http.dashboard.DashboardService;
import fi.hg.bus.adapters.http.keys.KeysService;
import fi.hg.bus.adapters.persistence.dashboard.JdbcDashboardReads;
import fi.hg.bus.adapters.persistence.dashboard.JdbcRateLimits;
import fi.hg.bus.adapters.persistence.keys.JooqApiKeys;
import fi.hg.bus.application.dashboard.ReadKeyBalance;
import fi.hg.bus.application.keys.CreateKey;
import fi.hg.bus.application.keys.ListKeys;
import fi.hg.bus.application.keys.RevokeKey;
import fi.hg.bus.adapters.persistence.billing.JooqSubscriptions;
import fi.hg.bus.adapters.persistence.catalog.JooqCatalogStore;
import fi.hg.bus.adapters.persistence.quota.JooqBillingReads;
import fi.hg.bus.adapters.persistence.quota.JooqQuotaCounters;
import fi.hg.bus.adapters.persistence.quota.JooqReservations;
import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.billing.GetBillingStatus;
import fi.hg.bus.application.catalog.ApplyQuotaFile;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.catalog.ReadCatalog;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.application.quota.CheckEntitlement;
import fi.hg.bus.application.quota.ExpireReservations;
import fi.hg.bus.application.quota.ForgetEndedWindows;
import fi.hg.bus.application.quota.ReleaseReservation;
import fi.hg.bus.domain.catalog.InvalidCatalog;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.adapters.http.auth.Hs256Jwt;
import fi.hg.bus.adapters.http.docs.ApiDocsService;
import fi.hg.bus.adapters.http.health.HealthService;
import fi.hg.bus.adapters.http.health.MetricsService;
import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import fi.hg.bus.application.export.ExportUsage;
import fi.hg.bus.adapters.http.usage.UsageEventsService;
import fi.hg.bus.adapters.persistence.store.EmbeddedStore;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.adapters.persistence.usage.JooqUsageLedger;
import fi.hg.bus.adapters.persistence.export.JooqUsageExports;
import fi.hg.bus.app.config.SecretFile;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.config.ShutdownConfig;
import fi.hg.bus.application.storage.StorageProbe;
import fi.hg.bus.application.storage.StorageUnavailableException;
import fi.hg.bus.application.usage.DeleteCollectedUsage;
import fi.hg.bus.application.usage.ForgetExpiredEventIds;
import fi.hg.bus.application.usage.ReadUsageFeed;
import fi.hg.bus.application.usage.RecordUsage;
import fi.hg.bus.domain.auth.SigningSecret;
import io.helidon.webserver.WebServer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A running {@code bus serve}: the store, the use cases, the HTTP API and the background work, wired by hand. */
public final class BusServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BusServer.class.getName());

    private final EmbeddedStore embedded;
    private final PostgresStore store;
    private final WebServer web;
    private final ScheduledExecutorService background;
    private final ScheduledExecutorService exporter;
    private final AtomicBoolean stopping;
    private final ShutdownConfig shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<io.helidon.webserver.http.HttpService> services;

    private BusServer(EmbeddedStore embedded, PostgresStore store, WebServer web, ScheduledExecutorService background,
                      ScheduledExecutorService exporter, AtomicBoolean stopping, ShutdownConfig shutdown,
                      List<io.helidon.webserver.http.HttpService> services) {
        this.services = List.copyOf(services);
        this.embedded = embedded;
        this.store = store;
        this.web = web;
        this.background = background;
        this.exporter = exporter;
        this.stopping = stopping;
        this.shutdown = shutdown;
    }

    public static BusServer start(ServeConfig config, Clock clock) {
        Resources resources = new Resources();
        try {
            return start(config, clock, resources);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /** What a start has opened so far, closed again when the start fails. */
    private static final class Resources implements AutoCloseable {
        EmbeddedStore embedded;
        PostgresStore store;
        ScheduledExecutorService background;
        ScheduledExecutorService exporter;

        @Override
        public void close() {
            if (background != null) {
                background.shutdownNow();
            }
            if (exporter != null) {
                exporter.shutdownNow();
            }
            if (store != null) {
                store.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static BusServer start(ServeConfig config, Clock clock, Resources resources) {
        EmbeddedStore embedded = null;
        PostgresStore store = null;
        SigningSecret secret;
        switch (config.store()) {
            case EMBEDDED -> {
                LOG.info("storage: the embedded PostgreSQL in " + config.dataDirectory()
                        + " (for trying the product and development; set BUS_DATABASE_URL for production)");
                secret = config.signingSecret().orElseGet(() -> SecretFile.loadOrCreate(config.dataDirectory()));
                embedded = EmbeddedStore.start(config.dataDirectory().resolve("postgres"));
                resources.embedded = embedded;
                store = PostgresStore.open(embedded.url(), options(config));
                resources.store = store;
            }
            case POSTGRES -> {
                secret = config.signingSecret().orElseThrow();
                if (config.databaseUrl().isPresent()) {
                    LOG.info("storage: PostgreSQL at " + config.databaseUrl().get().redacted());
                    store = PostgresStore.open(config.databaseUrl().get(), options(config));
                    resources.store = store;
                } else {
                    LOG.warning("storage: none (--store postgres forbids the embedded store and no database URL is set); "
                            + "every storage-backed request answers 503");
                }
            }
            default -> throw new IllegalStateException();
        }
        if (store != null) {
            store.awaitFirstAttempt(java.time.Duration.ofSeconds(30));
        }
        StorageProbe probe = store != null ? store : () -> {
            throw new StorageUnavailableException("usage storage is unavailable: no database URL is configured "
                    + "and --store postgres forbids the embedded store");
        };
        AtomicBoolean stopping = new AtomicBoolean();
        List<io.helidon.webserver.http.HttpService> services = new java.util.ArrayList<>();
        services.add(new HealthService(() -> {
            if (stopping.get()) {
                throw new StorageUnavailableException("usage storage is unavailable: bus serve is shutting down");
            }
            probe.check();
        }));
        services.add(new ApiDocsService());
        ServerMetrics metrics = metrics(config, store, clock, services);
        ScheduledExecutorService background = worker("bus-background");
        resources.background = background;
        ScheduledExecutorService exporter = worker("bus-usage-export");
        resources.exporter = exporter;
        java.util.concurrent.atomic.AtomicReference<java.net.URI> publicUrl = new java.util.concurrent.atomic.AtomicReference<>(
                config.providers().publicUrl().orElse(null));
        BearerAuth auth = new BearerAuth(new Hs256Jwt(secret, clock));
        if (store != null) {
            JooqUsageLedger ledger = new JooqUsageLedger(store);
            JooqQuotaCounters counters = new JooqQuotaCounters(store);
            JooqReservations reservations = new JooqReservations(store);
            JooqCatalogStore catalogStore = new JooqCatalogStore(store);
            Catalogs catalogs = new Catalogs(catalogStore);
            JooqBillingReads reads = new JooqBillingReads(store);
            JooqApiKeys apiKeys = new JooqApiKeys(store);
            String keyMeter = config.dashboard().meter();
            JooqUsageExports exports = new JooqUsageExports(store);
            services.add(new UsageEventsService(auth, metrics,
                    new RecordUsage(ledger, config.exportPolicy(), clock),
                    new ReadUsageFeed(ledger, clock),
                    new DeleteCollectedUsage(ledger, clock)));
            JooqSubscriptions subscriptions = new JooqSubscriptions(store);
            GetBillingStatus billingStatus = new GetBillingStatus(reads, catalogs, clock);
            ApplySubscriptionUpdate applyUpdate = new ApplySubscriptionUpdate(store, subscriptions, clock);
            services.add(new BillingService(auth, metrics,
                    new ReadCatalog(catalogs),
                    new ReplaceCatalog(store, catalogStore, clock),
                    new CheckEntitlement(store, reads, catalogs, counters, reservations, apiKeys, keyMeter, clock),
                    new ReleaseReservation(store, reservations, counters),
                    billingStatus,
                    applyUpdate));
            services.add(new KeysService(auth, new CreateKey(store, apiKeys, keyMeter, new java.security.SecureRandom(), clock),
                    new ListKeys(apiKeys, keyMeter, clock), new RevokeKey(store, apiKeys, keyMeter, clock)));
            services.add(new DashboardService(new ReadKeyBalance(new JdbcDashboardReads(store), new JdbcRateLimits(store),
                    catalogs, config.dashboard(), clock), clock));
            BillingProviders providers = BillingProviders.wire(config.providers(), store, secret, publicUrl::get, clock,
                    auth, catalogs, reads, subscriptions, billingStatus, applyUpdate, exports, config.dedupePeriod());
            services.addAll(providers.services());
            exporter.scheduleWithFixedDelay(() -> runQuietly("exporting usage", () -> {
                ExportUsage.Pass pass;
                do {
                    if (stopping.get()) {
                        break;
                    }
                    pass = providers.exportUsage().exportDue(stopping::get);
                    metrics.exportsAttempted(pass.exported(), pass.failed());
                    // a full batch: more may be due at once
                } while (pass.total() == BillingProviders.EXPORT_BATCH && !Thread.currentThread().isInterrupted());
            }), 1, 1, TimeUnit.SECONDS);
            providers.forget().forEach(f -> background.scheduleWithFixedDelay(() -> runQuietly("forgetting old billing rows", f),
                    10, 60, TimeUnit.MINUTES));
            ForgetExpiredEventIds forget = new ForgetExpiredEventIds(ledger, clock, config.dedupePeriod());
            background.scheduleWithFixedDelay(() -> runQuietly("forgetting expired event ids", forget::forget),
                    1, 60, TimeUnit.MINUTES);
            ForgetEndedWindows forgetWindows = new ForgetEndedWindows(counters, clock);
            background.scheduleWithFixedDelay(() -> runQuietly("forgetting ended quota windows", forgetWindows::forget),
                    5, 60, TimeUnit.MINUTES);
            ExpireReservations expire = new ExpireReservations(store, reservations, counters, clock);
            background.scheduleWithFixedDelay(() -> runQuietly("expiring reservations", expire::expire),
                    1, 1, TimeUnit.SECONDS);
            services.add(AuthWiring.service(config.auth(), store, auth, secret, clock, background));
            if (config.quotaFile().isPresent()) {
                applyQuotaFile(store, new ApplyQuotaFile(store, catalogStore, clock), config.quotaFile().get(), background);
            }
        } else {
            services.add(new Unavailable(probe));
            services.add(DashboardService.withoutStorage(probe, clock));
        }
        WebServer web = HttpApi.start(config.host(), config.port(), services, config.shutdown().grace(), metrics);
        LOG.info("bus serve listening on http://" + hostForUrl(config.host()) + ":" + web.port());
        publicUrl.compareAndSet(null, java.net.URI.create("http://" + hostForUrl(browsable(config.host())) + ":" + web.port()));
        return new BusServer(embedded, store, web, background, exporter, stopping, config.shutdown(), services);
    }

    /**
     * One background thread. Work it has not started when it is shut down is dropped: a periodic
     * or delayed task does not run again.
     */
    private static ScheduledExecutorService worker(String name) {
        ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        return worker;
    }

    /**
     * The metrics of this server: {@code GET /metrics} (open, or behind {@code BUS_METRICS_TOKEN}) and
     * the gauges read from the pool and the database when it is scraped.
     */
    private static ServerMetrics metrics(ServeConfig config, PostgresStore store, Clock clock,
                                         List<io.helidon.webserver.http.HttpService> services) {
        ServerMetrics metrics = new ServerMetrics();
        metrics.registry().collector(new DatabaseGauges(store, clock));
        services.add(new MetricsService(metrics, config.observability().metricsToken()));
        return metrics;
    }

    /**
     * Applies the startup quota file now when the database is ready (a file that does not fit the
     * catalog stops the start), else as soon as it is.
     */
    private static void applyQuotaFile(PostgresStore store, ApplyQuotaFile apply, Map<String, List<QuotaRule>> quotas,
                                       ScheduledExecutorService background) {
        if (store.isMigrated()) {
            try {
                long version = apply.apply(quotas);
                LOG.info("quota file applied: catalog version " + version);
                return;
            } catch (InvalidCatalog e) {
                throw new IllegalStateException("BUS_BILLING_QUOTA_CONFIG does not fit the catalog: " + e.getMessage());
            } catch (StorageUnavailableException e) {
                LOG.warning("the quota file will be applied when the database is reachable: " + e.getMessage());
            }
        }
        background.schedule(new Runnable() {
            @Override
            public void run() {
                try {
                    apply.apply(quotas);
                    LOG.info("quota file applied");
                } catch (StorageUnavailableException e) {
                    background.schedule(this, 2, TimeUnit.SECONDS);
                } catch (RuntimeException e) {
                    LOG.severe("BUS_BILLING_QUOTA_CONFIG was not applied: " + e.getMessage());
                }
            }
        }, 2, TimeUnit.SECONDS);
    }

    private static PostgresStore.Options options(ServeConfig config) {
        PostgresStore.Options d = PostgresStore.Options.defaults();
        return new PostgresStore.Options(config.poolSize(), d.connectTimeout(), d.migrationRetry());
    }

    private static void runQuietly(String what, Runnable work) {
        try {
            work.run();
        } catch (StorageUnavailableException e) {
            LOG.fine(what + " skipped: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed", e);
        }
    }

    /** A wildcard address is not one a browser can open: the serve address's loopback stands for it. */
    private static String browsable(String host) {
        return switch (host) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return web.port();
    }

    /** Every route this server serves (method and path pattern), as its services registered them. */
    public List<HttpApi.Route> routes() {
        return HttpApi.routes(services);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        stopping.set(true);
        if (shutdown.drain().isPositive()) {
            LOG.info("shutting down: /readyz answers 503; still serving for " + shutdown.drain().toMillis() + " ms");
            sleep(shutdown.drain());
        }
        background.shutdown();
        exporter.shutdown();
        LOG.info("shutting down: the port is closed; requests in flight have " + shutdown.grace().toMillis() + " ms to finish");
        long deadline = System.nanoTime() + shutdown.grace().toNanos();
        web.stop();
        awaitUntil(background, deadline);
        awaitUntil(exporter, deadline);
        background.shutdownNow();
        exporter.shutdownNow();
        if (store != null) {
            store.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        LOG.info("bus serve stopped after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    private static void awaitUntil(ScheduledExecutorService worker, long deadlineNanos) {
        try {
            if (!worker.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warning("shutting down: a background task did not finish within the grace period; it is cut, "
                        + "and its transaction rolls back");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
