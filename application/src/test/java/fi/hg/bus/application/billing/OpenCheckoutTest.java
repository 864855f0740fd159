package fi.hg.bus.application.billing;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.billing.ReturnUrl;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class OpenCheckoutTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");

    /** A provider that remembers what it was asked. */
    private static final class Provider implements PaymentProvider {
        final List<CheckoutRequest> checkouts = new ArrayList<>();
        boolean withoutPlan;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public boolean sellsWithoutPlan() {
            return withoutPlan;
        }

        @Override
        public URI openCheckout(CheckoutRequest request) {
            checkouts.add(request);
            return URI.create("https://pay.example/" + checkouts.size());
        }

        @Override
        public Optional<URI> openPortal(PortalRequest request) {
            return Optional.empty();
        }
    }

    private final Provider provider = new Provider();
    private final OpenCheckout open = new OpenCheckout(world.reads, world.catalogs, provider, world.clock);

    @Test
    void the_provider_gets_the_plans_of_the_feature_the_plan_asked_for_and_the_return_url() {
        world.catalog(tokens(QuotaWindow.DAY, 100, "pro"));
        UUID account = UUID.randomUUID();

        var result = open.open(new OpenCheckout.Command(account, BillingWorld.LLM, "pro", ReturnUrl.parse("https://a.example/")));

        assertEquals(new OpenCheckout.Result.Opened(URI.create("https://pay.example/1"), "test"), result);
        var request = provider.checkouts.getFirst();
        assertEquals("pro", request.plan().id());
        assertEquals(List.of("basic", "pro"), request.choices().stream().map(p -> p.id()).toList());
        assertEquals("https://a.example/", request.returnUrl().toString());
        assertEquals("missing", request.current().status().wireName());
    }

    @Test
    void without_a_plan_the_upgrade_of_a_spent_quota_is_suggested() {
        world.catalog(tokens(QuotaWindow.DAY, 100, "pro"));
        UUID account = world.activeAccount();
        world.use(account, "e1", 150);

        open.open(new OpenCheckout.Command(account, null, null, null));

        assertNull(provider.checkouts.getFirst().plan());
        assertEquals("pro", provider.checkouts.getFirst().suggested().id());
    }

    @Test
    void unknown_plans_plans_without_the_feature_and_features_nobody_sells_are_rejected_before_the_provider_is_asked() {
        world.catalog(tokens(QuotaWindow.DAY, 100, null));
        UUID account = UUID.randomUUID();

        assertInstanceOf(OpenCheckout.Result.Rejected.class, open.open(new OpenCheckout.Command(account, null, "gold", null)));
        assertEquals(new OpenCheckout.Result.Rejected("plan_id", "plan \"basic\" does not offer \"container:run\""),
                open.open(new OpenCheckout.Command(account, "container:run", "basic", null)));
        assertEquals(new OpenCheckout.Result.Rejected("feature", "no plan in the catalog offers \"container:run\""),
                open.open(new OpenCheckout.Command(account, "container:run", null, null)));
        assertEquals(List.of(), provider.checkouts);
    }

    @Test
    void an_empty_catalog_is_rejected_unless_the_provider_sells_without_a_plan() {
        UUID account = UUID.randomUUID();

        assertInstanceOf(OpenCheckout.Result.Rejected.class, open.open(new OpenCheckout.Command(account, null, null, null)));
        provider.withoutPlan = true;
        assertInstanceOf(OpenCheckout.Result.Opened.class, open.open(new OpenCheckout.Command(account, null, null, null)));
    }
}
