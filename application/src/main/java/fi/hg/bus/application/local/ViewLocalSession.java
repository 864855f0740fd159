package fi.hg.bus.application.local;

import fi.hg.bus.application.billing.GetBillingStatus;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.application.export.ListUsageExports;
import fi.hg.bus.application.export.UsageExports;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.entitlement.BillingStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a page of the local provider shows: the account's state and quota windows, the plans it may
 * choose (those offering the checkout's feature; every plan in the portal), and the exported usage.
 */
public final class ViewLocalSession {

    /** How many of the newest exports the portal lists. */
    public static final int EXPORTS_SHOWN = 20;

    /**
     * @param plan    the account's current plan, when the catalog has it
     * @param choices the plans the page offers, in catalog order
     * @param meters  the catalog's meters, for their units
     */
    public record View(LocalSession session, BillingStatus status, Optional<Plan> plan, List<Plan> choices,
                       List<Meter> meters, ListUsageExports.Listing exports, Instant now) {
        public View {
            choices = List.copyOf(choices);
            meters = List.copyOf(meters);
        }
    }

    public sealed interface Result {
        record Found(View view) implements Result {
        }

        record Unknown() implements Result {
        }

        record Expired(LocalSession session) implements Result {
        }
    }

    private final LocalSessions sessions;
    private final GetBillingStatus billingStatus;
    private final Catalogs catalogs;
    private final ListUsageExports exports;
    private final Clock clock;

    public ViewLocalSession(LocalSessions sessions, GetBillingStatus billingStatus, Catalogs catalogs,
                            ListUsageExports exports, Clock clock) {
        this.sessions = sessions;
        this.billingStatus = billingStatus;
        this.catalogs = catalogs;
        this.exports = exports;
        this.clock = clock;
    }

    public Result view(String sessionId) {
        Optional<LocalSession> found = sessions.find(sessionId);
        if (found.isEmpty()) {
            return new Result.Unknown();
        }
        LocalSession session = found.get();
        Instant now = clock.instant();
        if (session.expiredAt(now)) {
            return new Result.Expired(session);
        }
        BillingStatus status = billingStatus.status(session.accountId());
        Catalog catalog = catalogs.reload().catalog();
        List<Plan> choices = session.kind() == LocalSession.Kind.CHECKOUT && session.feature() != null
                ? catalog.plansOffering(session.feature())
                : catalog.plans();
        ListUsageExports.Listing listing = session.kind() == LocalSession.Kind.PORTAL
                ? exports.list(new UsageExports.Selection(session.accountId(), List.of(), EXPORTS_SHOWN))
                : new ListUsageExports.Listing(java.util.Map.of(), List.of());
        return new Result.Found(new View(session, status, catalog.plan(status.planId()), choices, catalog.meters(), listing, now));
    }
}
