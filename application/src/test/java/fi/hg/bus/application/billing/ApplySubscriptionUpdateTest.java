package fi.hg.bus.application.billing;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.billing.AccountStatus;
import fi.hg.bus.domain.entitlement.BillingStatus;
import fi.hg.bus.domain.billing.Subscription;
import fi.hg.bus.domain.billing.SubscriptionUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplySubscriptionUpdateTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");
    private final UUID account = UUID.randomUUID();

    @BeforeEach
    void aCatalog() {
        world.catalog(tokens(DAY, 100, "pro"));
    }

    private SubscriptionUpdate update(String eventId, AccountStatus status, String plan) {
        return new SubscriptionUpdate(eventId, account, "stripe", status, "cus_1", "sub_1", plan, List.of());
    }

    @Test
    void an_update_activates_the_account() {
        assertTrue(world.billingStatus.status(account).setupRequired());
        assertEquals(ApplySubscriptionUpdate.Outcome.APPLIED, world.applyUpdate.apply(update("evt_1", AccountStatus.ACTIVE, "basic")));
        BillingStatus status = world.billingStatus.status(account);
        assertEquals(AccountStatus.ACTIVE, status.status());
        assertEquals("basic", status.planId());
        assertEquals("stripe", status.provider());
        assertFalse(status.setupRequired());
        assertEquals(1, status.usage().size());
    }

    @Test
    void a_repeated_event_id_changes_nothing() {
        world.applyUpdate.apply(update("evt_1", AccountStatus.ACTIVE, "basic"));
        Subscription before = world.subscriptions.find(account).orElseThrow();

        assertEquals(ApplySubscriptionUpdate.Outcome.DUPLICATE, world.applyUpdate.apply(update("evt_1", AccountStatus.CANCELED, "pro")));

        assertEquals(before, world.subscriptions.find(account).orElseThrow());
        assertEquals(AccountStatus.ACTIVE, world.billingStatus.status(account).status());
    }

    @Test
    void a_new_event_id_applies_the_next_change() {
        world.applyUpdate.apply(update("evt_1", AccountStatus.ACTIVE, "basic"));
        assertEquals(ApplySubscriptionUpdate.Outcome.APPLIED, world.applyUpdate.apply(update("evt_2", AccountStatus.PAST_DUE, "basic")));
        BillingStatus status = world.billingStatus.status(account);
        assertEquals(AccountStatus.PAST_DUE, status.status());
        assertEquals("setup_billing", status.nextAction());
    }
}
