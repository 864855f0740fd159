package fi.hg.bus.application.local;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.application.testing.InMemoryLocalSessions;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ChooseLocalPlanTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");
    private final InMemoryLocalSessions sessions = new InMemoryLocalSessions();
    private final ChooseLocalPlan choose = new ChooseLocalPlan(sessions, world.catalogs, world.subscriptions,
            world.applyUpdate, world.clock);

    private LocalSession session(LocalSession.Kind kind, UUID account, String feature) {
        LocalSession s = new LocalSession(kind.wireName() + "-" + account, kind, account, feature, null,
                ReturnUrl.parse("https://app.example/back"), world.clock.instant(), world.clock.instant().plus(Duration.ofHours(24)));
        sessions.save(s);
        return s;
    }

    private AccountStatus status(UUID account) {
        return world.subscriptions.find(account).orElseThrow().status();
    }

    @Test
    void subscribing_activates_the_plan_and_the_same_form_twice_changes_nothing_more() {
        world.catalog(tokens(QuotaWindow.DAY, 100, null));
        UUID account = UUID.randomUUID();
        LocalSession checkout = session(LocalSession.Kind.CHECKOUT, account, BillingWorld.LLM);
        var command = new ChooseLocalPlan.Command(checkout.id(), "form-1", new ChooseLocalPlan.Choice.Subscribe("pro"));

        var done = assertInstanceOf(ChooseLocalPlan.Result.Done.class, choose.choose(command));
        assertEquals(AccountStatus.ACTIVE, done.status());
        assertEquals("https://app.example/back", done.returnUrl().toString());
        assertEquals("pro", world.subscriptions.find(account).orElseThrow().planId());
        assertEquals("local", world.subscriptions.find(account).orElseThrow().provider());
        LocalSession portal = session(LocalSession.Kind.PORTAL, account, null);
        choose.choose(new ChooseLocalPlan.Command(portal.id(), "form-2", new ChooseLocalPlan.Choice.Cancel()));

        var again = assertInstanceOf(ChooseLocalPlan.Result.Done.class, choose.choose(command));

        assertEquals(AccountStatus.CANCELED, again.status(), "the checkout form sent again does not subscribe again");
    }

    @Test
    void cancelling_is_done_in_the_portal_of_an_account_that_has_something_to_cancel() {
        world.catalog(tokens(QuotaWindow.DAY, 100, null));
        UUID account = UUID.randomUUID();
        LocalSession checkout = session(LocalSession.Kind.CHECKOUT, account, null);
        LocalSession portal = session(LocalSession.Kind.PORTAL, account, null);

        assertInstanceOf(ChooseLocalPlan.Result.NotAllowed.class,
                choose.choose(new ChooseLocalPlan.Command(checkout.id(), "f", new ChooseLocalPlan.Choice.Cancel())));
        assertInstanceOf(ChooseLocalPlan.Result.NotAllowed.class,
                choose.choose(new ChooseLocalPlan.Command(portal.id(), "f", new ChooseLocalPlan.Choice.Cancel())));
        choose.choose(new ChooseLocalPlan.Command(portal.id(), "f1", new ChooseLocalPlan.Choice.Subscribe("basic")));
        choose.choose(new ChooseLocalPlan.Command(portal.id(), "f2", new ChooseLocalPlan.Choice.Cancel()));

        assertEquals(AccountStatus.CANCELED, status(account));
        assertEquals("basic", world.subscriptions.find(account).orElseThrow().planId(), "the plan stays known");
    }

    @Test
    void unknown_expired_and_not_offered_choices_change_nothing() {
        world.catalog(tokens(QuotaWindow.DAY, 100, null));
        UUID account = UUID.randomUUID();
        LocalSession checkout = session(LocalSession.Kind.CHECKOUT, account, "container:run");

        assertInstanceOf(ChooseLocalPlan.Result.Unknown.class,
                choose.choose(new ChooseLocalPlan.Command("nope", "f", new ChooseLocalPlan.Choice.Subscribe("basic"))));
        assertInstanceOf(ChooseLocalPlan.Result.NotOffered.class,
                choose.choose(new ChooseLocalPlan.Command(checkout.id(), "f", new ChooseLocalPlan.Choice.Subscribe("basic"))));
        world.clock.advance(Duration.ofHours(25));
        assertInstanceOf(ChooseLocalPlan.Result.Expired.class,
                choose.choose(new ChooseLocalPlan.Command(checkout.id(), "f", new ChooseLocalPlan.Choice.Subscribe("basic"))));
        assertEquals(java.util.Optional.empty(), world.subscriptions.find(account));
    }
}
