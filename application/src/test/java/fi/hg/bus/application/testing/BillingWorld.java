package fi.hg.bus.application.testing;

import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.billing.GetBillingStatus;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.application.quota.CheckEntitlement;
import fi.hg.bus.application.quota.CounterKey;
import fi.hg.bus.application.quota.ExpireReservations;
import fi.hg.bus.application.quota.ReleaseReservation;
import fi.hg.bus.application.usage.RecordUsage;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import fi.hg.bus.domain.metering.ExportPolicy;
import fi.hg.bus.domain.quota.QuotaWindow;
import fi.hg.bus.domain.entitlement.Tally;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The use cases of billing and quotas wired to in-memory ports and a clock the test moves. */
public final class BillingWorld {

    public static final String LLM = "llm:proxy";
    public static final String TOKENS = "bus_llm_tokens";

    public final MutableClock clock;
    public final InMemoryTransactions transactions = new InMemoryTransactions();
    public final InMemoryCatalogStore catalogStore = new InMemoryCatalogStore();
    public final Catalogs catalogs = new Catalogs(catalogStore);
    public final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    public final InMemoryQuotaCounters counters = new InMemoryQuotaCounters(catalogStore);
    public final InMemoryBillingReads reads = new InMemoryBillingReads(subscriptions, catalogStore, counters);
    public final InMemoryReservations reservations = new InMemoryReservations(counters, reads);
    public final InMemoryApiKeys apiKeys = new InMemoryApiKeys();
    public final InMemoryUsageExports exports = new InMemoryUsageExports();
    public final InMemoryUsageLedger ledger = new InMemoryUsageLedger(transactions, counters, reservations, exports, apiKeys);

    public final ReplaceCatalog replaceCatalog;
    public final ApplySubscriptionUpdate applyUpdate;
    public final CheckEntitlement checkEntitlement;
    public final ReleaseReservation releaseReservation;
    public final ExpireReservations expireReservations;
    public final GetBillingStatus billingStatus;
    public final RecordUsage recordUsage;

    private int updates;

    public BillingWorld(String now) {
        clock = MutableClock.at(now);
        replaceCatalog = new ReplaceCatalog(transactions, catalogStore, clock);
        applyUpdate = new ApplySubscriptionUpdate(transactions, subscriptions, clock);
        checkEntitlement = new CheckEntitlement(transactions, reads, catalogs, counters, reservations, apiKeys, TOKENS, clock);
        releaseReservation = new ReleaseReservation(transactions, reservations, counters);
        expireReservations = new ExpireReservations(transactions, reservations, counters, clock);
        billingStatus = new GetBillingStatus(reads, catalogs, clock);
        recordUsage = new RecordUsage(ledger, ExportPolicy.defaults(), clock);
    }

    public static QuotaRule tokens(QuotaWindow window, long limit, String upgrade) {
        return new QuotaRule(LLM, TOKENS, window, limit, upgrade);
    }

    /** Stores a catalog with a plan {@code basic} of these quotas and a plan {@code pro} without any. */
    public void catalog(QuotaRule... quotas) {
        var result = replaceCatalog.replace(new ReplaceCatalog.Command(
                List.of(new Product("llm", "LLM")), List.of(new Meter(TOKENS, "tokens")),
                List.of(new Plan("basic", "Basic", "llm", List.of(LLM), List.of(), List.of(quotas), Map.of()),
                        new Plan("pro", "Pro", "llm", List.of(LLM), List.of(), List.of(), Map.of())),
                List.of()));
        if (!(result instanceof ReplaceCatalog.Result.Stored)) {
            throw new IllegalStateException("the test catalog is invalid: " + result);
        }
    }

    /** A new account, active on plan {@code basic}. */
    public UUID activeAccount() {
        UUID account = UUID.randomUUID();
        applyUpdate.apply(new SubscriptionUpdate("update-" + (++updates), account, "local", AccountStatus.ACTIVE,
                null, null, "basic", List.of()));
        return account;
    }

    public CheckEntitlement.Result reserve(UUID account, String id, long quantity, Duration ttl) {
        return checkEntitlement.check(new CheckEntitlement.Command(account, LLM, TOKENS, quantity, id, ttl));
    }

    public CheckEntitlement.Result reserve(UUID account, String id, long quantity) {
        return reserve(account, id, quantity, Duration.ofMinutes(5));
    }

    /** Records {@code usage_recorded} with {@code total_tokens}, now. */
    public RecordUsage.Recorded use(UUID account, String eventId, long totalTokens) {
        UsageData data = new UsageData("{\"total_tokens\":" + totalTokens + "}",
                Map.of("total_tokens", BigDecimal.valueOf(totalTokens)), Map.of());
        return recordUsage.record(new RecordUsage.Command(List.of(
                new RecordUsage.Submitted(eventId, UsageEventType.USAGE_RECORDED, account, null, data))));
    }

    /** Records {@code usage_recorded} with {@code total_tokens} done with the API key {@code apiKeyId}, now. */
    public RecordUsage.Recorded use(UUID account, String eventId, long totalTokens, UUID apiKeyId) {
        UsageData data = new UsageData("{\"total_tokens\":" + totalTokens + ",\"api_key_id\":\"" + apiKeyId + "\"}",
                Map.of("total_tokens", BigDecimal.valueOf(totalTokens)), Map.of("api_key_id", apiKeyId.toString()));
        return recordUsage.record(new RecordUsage.Command(List.of(
                new RecordUsage.Submitted(eventId, UsageEventType.USAGE_RECORDED, account, null, data))));
    }

    /** What the account's counter of this window holds now. */
    public Tally tally(UUID account, QuotaWindow window) {
        return counters.get(new CounterKey(account, LLM, TOKENS, window, window.start(clock.instant())));
    }
}
