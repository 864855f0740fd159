package fi.hg.bus.adapters.provider.stripe;

import fi.hg.bus.domain.billing.AccountStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripeMappingTest {

    @Test
    void stripe_subscription_statuses_map_to_account_statuses() {
        assertEquals(Optional.of(AccountStatus.ACTIVE), StripeEvents.status("active"));
        assertEquals(Optional.of(AccountStatus.ACTIVE), StripeEvents.status("trialing"));
        assertEquals(Optional.of(AccountStatus.PAST_DUE), StripeEvents.status("past_due"));
        assertEquals(Optional.of(AccountStatus.PAST_DUE), StripeEvents.status("unpaid"));
        assertEquals(Optional.of(AccountStatus.PAST_DUE), StripeEvents.status("paused"));
        assertEquals(Optional.of(AccountStatus.CANCELED), StripeEvents.status("canceled"));
        assertEquals(Optional.of(AccountStatus.INCOMPLETE), StripeEvents.status("incomplete"));
        assertEquals(Optional.of(AccountStatus.INCOMPLETE), StripeEvents.status("incomplete_expired"));
        assertEquals(Optional.empty(), StripeEvents.status("something_new"));
        assertEquals(Optional.empty(), StripeEvents.status(null));
    }

    @Test
    void only_secret_and_restricted_keys_are_taken_and_no_message_shows_the_key() {
        assertEquals(Optional.empty(), StripeSettings.keyProblem("sk_test_51abcDEF"));
        assertEquals(Optional.empty(), StripeSettings.keyProblem("sk_live_51abcDEF"));
        assertEquals(Optional.empty(), StripeSettings.keyProblem("rk_live_51abcDEF"));
        assertTrue(StripeSettings.keyProblem("pk_live_51abcDEF").orElseThrow().contains("publishable"));
        assertTrue(StripeSettings.keyProblem("whsec_abc").orElseThrow().contains("webhook"));
        assertFalse(StripeSettings.keyProblem("sk_prod_secretvalue").orElseThrow().contains("secretvalue"));
        assertTrue(StripeSettings.keyProblem("").isPresent());
        assertThrows(IllegalArgumentException.class,
                () -> new StripeSettings("pk_test_1", null, null, null, null, Duration.ofSeconds(1)));
        assertEquals("sk_live", StripeSettings.kind("sk_live_51abc"));
    }

    @Test
    void short_idempotency_keys_are_stable_and_tell_their_parts_apart() {
        assertEquals(StripeGateway.key("p_", "a", "b"), StripeGateway.key("p_", "a", "b"));
        assertFalse(StripeGateway.key("p_", "a", "b").equals(StripeGateway.key("p_", "ab", "")));
        assertFalse(StripeGateway.key("p_", "a", null).equals(StripeGateway.key("p_", "a", "")));
        assertTrue(StripeGateway.key("bus_x_", "a").length() < 255);
    }
}
