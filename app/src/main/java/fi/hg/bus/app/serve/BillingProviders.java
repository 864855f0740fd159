package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.adapters.http.billing.HostedBillingService;
import fi.hg.bus.adapters.http.billing.ProviderWebhookService;
import fi.hg.bus.adapters.http.pages.LocalPagesService;
import fi.hg.bus.adapters.persistence.billing.JooqProviderCustomers;
import fi.hg.bus.adapters.persistence.billing.JooqProviderEventOrder;
import fi.hg.bus.adapters.persistence.billing.JooqSubscriptions;
import fi.hg.bus.adapters.persistence.export.JooqUsageExports;
import fi.hg.bus.adapters.persistence.local.JooqLocalSessions;
import fi.hg.bus.adapters.persistence.quota.JooqBillingReads;
import fi.hg.bus.adapters.persistence.store.PostgresStore;
import fi.hg.bus.adapters.provider.local.LocalPaymentProvider;
import fi.hg.bus.adapters.provider.local.LocalUsageExporter;
import fi.hg.bus.adapters.provider.stripe.StripeEvents;
import fi.hg.bus.adapters.provider.stripe.StripeGateway;
import fi.hg.bus.adapters.provider.stripe.StripePaymentProvider;
import fi.hg.bus.adapters.provider.stripe.StripeUsageExporter;
import fi.hg.bus.app.config.ProviderConfig;
import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.billing.GetBillingStatus;
import fi.hg.bus.application.billing.OpenCheckout;
import fi.hg.bus.application.billing.OpenPortal;
import fi.hg.bus.application.billing.PaymentProvider;
import fi.hg.bus.application.billing.ReceiveProviderEvent;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.export.ExportUsage;
import fi.hg.bus.application.export.ForgetOldExports;
import fi.hg.bus.application.export.ListUsageExports;
import fi.hg.bus.application.export.UsageExporter;
import fi.hg.bus.application.local.ChooseLocalPlan;
import fi.hg.bus.application.local.ForgetExpiredSessions;
import fi.hg.bus.application.local.ViewLocalSession;
import fi.hg.bus.domain.auth.SigningSecret;
import io.helidon.webserver.http.HttpService;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The payment provider of {@code bus serve}, wired by hand: the hosted setup and portal, the local
 * provider's pages or Stripe with its webhook, and the usage export worker.
 *
 * @param services    the HTTP services to register
 * @param exportUsage one pass of the export queue, for the worker
 * @param forget      the periodic cleanups (old exports, expired sessions)
 */
record BillingProviders(List<HttpService> services, ExportUsage exportUsage, List<Runnable> forget) {

    /** How many exports one pass claims. */
    static final int EXPORT_BATCH = 100;

    static BillingProviders wire(ProviderConfig config, PostgresStore store, SigningSecret secret, Supplier<URI> publicUrl,
                                 Clock clock, BearerAuth auth, Catalogs catalogs, JooqBillingReads reads,
                                 JooqSubscriptions subscriptions, GetBillingStatus billingStatus,
                                 ApplySubscriptionUpdate applyUpdate, JooqUsageExports exports, Duration dedupePeriod) {
        JooqProviderCustomers customers = new JooqProviderCustomers(store);
        JooqLocalSessions sessions = new JooqLocalSessions(store);
        ListUsageExports listExports = new ListUsageExports(exports);
        PaymentProvider provider;
        UsageExporter exporter;
        ReceiveProviderEvent webhook = null;
        ViewLocalSession view = null;
        if (config.backend() == ProviderConfig.Backend.STRIPE) {
            StripeGateway stripe = new StripeGateway(config.stripe().orElseThrow());
            provider = new StripePaymentProvider(stripe, customers, publicUrl, clock);
            exporter = new StripeUsageExporter(stripe, customers, subscriptions);
            webhook = new ReceiveProviderEvent(store, new StripeEvents(stripe.settings().webhookSecret(), clock), catalogs,
                    subscriptions, customers, new JooqProviderEventOrder(store), applyUpdate, clock);
        } else {
            provider = new LocalPaymentProvider(sessions, key(secret, "bus local billing sessions v1"), publicUrl, clock);
            exporter = new LocalUsageExporter();
            view = new ViewLocalSession(sessions, billingStatus, catalogs, listExports, clock);
        }
        List<HttpService> services = List.of(
                new HostedBillingService(auth, new OpenCheckout(reads, catalogs, provider, clock),
                        new OpenPortal(subscriptions, provider), listExports),
                new ProviderWebhookService(webhook),
                new LocalPagesService(view, new ChooseLocalPlan(sessions, catalogs, subscriptions, applyUpdate, clock),
                        key(secret, "bus local billing forms v1"), publicUrl));
        ExportUsage exportUsage = new ExportUsage(store, exports, exporter, config.exportRetry(), clock, EXPORT_BATCH,
                Duration.ofSeconds(30));
        Duration keep = Duration.ofDays(Math.max(90, dedupePeriod.toDays() + 30));
        return new BillingProviders(services, exportUsage, List.of(
                new ForgetOldExports(exports, clock, keep)::forget,
                new ForgetExpiredSessions(sessions, clock)::forget));
    }

    /** A key for one purpose, derived from the server's secret (HMAC-SHA256 of the purpose). */
    static byte[] key(SigningSecret secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
