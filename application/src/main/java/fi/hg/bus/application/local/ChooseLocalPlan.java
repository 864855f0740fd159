package fi.hg.bus.application.local;

import fi.hg.bus.application.billing.ApplySubscriptionUpdate;
import fi.hg.bus.application.billing.Subscriptions;
import fi.hg.bus.application.catalog.Catalogs;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the local provider's pages do: subscribe to a plan (checkout, or a change of plan in the
 * portal) or cancel (portal). Each is a subscription update with provider {@code local}, whose
 * event id comes from the session and the form: sending the same form twice changes nothing more.
 */
public final class ChooseLocalPlan {

    public static final String PROVIDER = "local";

    public sealed interface Choice {
        record Subscribe(String planId) implements Choice {
            public Subscribe {
                Objects.requireNonNull(planId, "planId");
            }
        }

        record Cancel() implements Choice {
        }
    }

    /** @param formId the id of the form as it was served (one per page view) */
    public record Command(String sessionId, String formId, Choice choice) {
        public Command {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(formId, "formId");
            Objects.requireNonNull(choice, "choice");
        }
    }

    public sealed interface Result {
        /** Done (or done before, by the same form); {@code returnUrl} may be null. */
        record Done(LocalSession session, AccountStatus status, ReturnUrl returnUrl) implements Result {
        }

        record Unknown() implements Result {
        }

        record Expired(LocalSession session) implements Result {
        }

        /** The plan does not exist, or does not offer the checkout's feature. */
        record NotOffered(LocalSession session, String planId) implements Result {
        }

        /** Cancelling is done in the portal, and only when there is something to cancel. */
        record NotAllowed(LocalSession session, String why) implements Result {
        }
    }

    private final LocalSessions sessions;
    private final Catalogs catalogs;
    private final Subscriptions subscriptions;
    private final ApplySubscriptionUpdate applyUpdate;
    private final Clock clock;

    public ChooseLocalPlan(LocalSessions sessions, Catalogs catalogs, Subscriptions subscriptions,
                           ApplySubscriptionUpdate applyUpdate, Clock clock) {
        this.sessions = sessions;
        this.catalogs = catalogs;
        this.subscriptions = subscriptions;
        this.applyUpdate = applyUpdate;
        this.clock = clock;
    }

    public Result choose(Command command) {
        Optional<LocalSession> found = sessions.find(command.sessionId());
        if (found.isEmpty()) {
            return new Result.Unknown();
        }
        LocalSession session = found.get();
        if (session.expiredAt(clock.instant())) {
            return new Result.Expired(session);
        }
        Subscription current = subscriptions.find(session.accountId()).orElseGet(() -> Subscription.missing(session.accountId()));
        SubscriptionUpdate update;
        switch (command.choice()) {
            case Choice.Subscribe s -> {
                Catalog catalog = catalogs.reload().catalog();
                Optional<Plan> plan = catalog.plan(s.planId());
                boolean checkoutFeature = session.kind() == LocalSession.Kind.CHECKOUT && session.feature() != null;
                if (plan.isEmpty() || (checkoutFeature && !plan.get().offers(session.feature()))) {
                    return new Result.NotOffered(session, s.planId());
                }
                update = new SubscriptionUpdate(eventId(command, "subscribe:" + s.planId()), session.accountId(), PROVIDER,
                        AccountStatus.ACTIVE, current.providerCustomerId(), current.providerSubscriptionId(),
                        plan.get().id(), plan.get().features());
            }
            case Choice.Cancel c -> {
                if (session.kind() != LocalSession.Kind.PORTAL) {
                    return new Result.NotAllowed(session, "a subscription is cancelled in the portal");
                }
                if (current.status() == AccountStatus.MISSING) {
                    return new Result.NotAllowed(session, "there is no subscription to cancel");
                }
                update = new SubscriptionUpdate(eventId(command, "cancel"), session.accountId(), PROVIDER,
                        AccountStatus.CANCELED, current.providerCustomerId(), current.providerSubscriptionId(),
                        current.planId(), List.of());
            }
        }
        applyUpdate.apply(update);
        AccountStatus status = subscriptions.find(session.accountId()).map(Subscription::status).orElse(update.status());
        return new Result.Done(session, status, session.returnUrl());
    }

    private static String eventId(Command command, String what) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (command.sessionId() + "\n" + command.formId() + "\n" + what).getBytes(StandardCharsets.UTF_8));
            return "local_" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
