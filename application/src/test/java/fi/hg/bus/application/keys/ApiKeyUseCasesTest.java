package fi.hg.bus.application.keys;

import fi.hg.bus.application.quota.CheckEntitlement;
import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.keys.KeySecret;
import fi.hg.bus.domain.keys.KeyStatus;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

import static fi.hg.bus.application.testing.BillingWorld.LLM;
import static fi.hg.bus.application.testing.BillingWorld.TOKENS;
import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyUseCasesTest {

    private final BillingWorld world = new BillingWorld("2026-05-26T10:00:00Z");
    private final CreateKey create = new CreateKey(world.transactions, world.apiKeys, TOKENS, new SplittableRandom(42), world.clock);
    private final ListKeys list = new ListKeys(world.apiKeys, TOKENS, world.clock);
    private final RevokeKey revoke = new RevokeKey(world.transactions, world.apiKeys, TOKENS, world.clock);

    private CreateKey.Result.Created key(UUID account, Long limit) {
        return (CreateKey.Result.Created) create.create(new CreateKey.Command(account, "ci", limit, null));
    }

    private EntitlementDecision check(UUID account, long quantity, UUID keyId) {
        var r = (CheckEntitlement.Result.Decided) world.checkEntitlement.check(
                new CheckEntitlement.Command(account, LLM, TOKENS, quantity, null, null, keyId));
        return r.decision();
    }

    @Test
    void a_new_key_is_shown_once_and_only_its_hash_is_kept() {
        UUID account = world.activeAccount();
        CreateKey.Result.Created created = key(account, 1000L);

        assertTrue(created.secret().matches("sk-[A-Za-z0-9]{48}"), created.secret());
        KeySecret secret = KeySecret.fromBearer(created.secret()).orElseThrow();
        assertArrayEquals(secret.hash(), world.apiKeys.hash(secret.lookup()).orElseThrow());
        assertEquals(secret.shownPrefix(), created.key().key().prefix());
        assertTrue(!created.toString().contains(created.secret().substring(11)), "the secret is not in toString");

        ListKeys.Page page = list.list(account);
        assertEquals(1, page.keys().size());
        assertEquals(created.key().key(), page.keys().getFirst().key());
        assertEquals(KeyStatus.ACTIVE, page.keys().getFirst().status());
        assertEquals(1000L, page.keys().getFirst().remaining());
    }

    @Test
    void bad_values_are_rejected_naming_the_field() {
        UUID account = UUID.randomUUID();
        assertEquals(new CreateKey.Result.Rejected("expires_at", "must be in the future"),
                create.create(new CreateKey.Command(account, "k", null, world.clock.instant())));
        assertEquals("name", ((CreateKey.Result.Rejected) create.create(new CreateKey.Command(account, " ", null, null))).field());
        assertEquals("quota_limit", ((CreateKey.Result.Rejected) create.create(new CreateKey.Command(account, "k", 0L, null))).field());
        assertEquals(0, list.list(account).keys().size());
    }

    @Test
    void an_account_may_hold_at_most_a_thousand_keys_that_are_not_revoked() {
        UUID account = UUID.randomUUID();
        UUID first = null;
        for (int i = 0; i < CreateKey.MAX_ACTIVE_KEYS; i++) {
            UUID id = key(account, null).key().key().id();
            first = first == null ? id : first;
        }
        assertEquals(new CreateKey.Result.TooManyKeys(1000), create.create(new CreateKey.Command(account, "one more", null, null)));
        assertInstanceOf(RevokeKey.Result.Revoked.class, revoke.revoke(account, first));
        assertInstanceOf(CreateKey.Result.Created.class, create.create(new CreateKey.Command(account, "one more", null, null)));
        ListKeys.Page page = list.list(account);
        assertEquals(1000, page.keys().size());
        assertTrue(page.hasMore());
    }

    @Test
    void usage_naming_a_key_counts_against_it_once_and_only_for_its_own_account() {
        world.catalog(tokens(QuotaWindow.MONTH, 1_000_000, null));
        UUID account = world.activeAccount();
        UUID keyId = key(account, 1000L).key().key().id();

        world.use(account, "e1", 300, keyId);
        world.use(account, "e1", 300, keyId);
        world.use(world.activeAccount(), "e2", 500, keyId);
        world.use(account, "e3", 200);

        assertEquals(300, world.apiKeys.used(keyId, TOKENS));
        assertEquals(800 - 300, world.tally(account, QuotaWindow.MONTH).used() - 0, "the account counts all its own use");
        assertEquals(300, list.list(account).keys().getFirst().used());
    }

    @Test
    void a_check_naming_a_spent_key_is_refused_and_one_with_room_is_allowed() {
        world.catalog(tokens(QuotaWindow.MONTH, 1_000_000, null));
        UUID account = world.activeAccount();
        UUID keyId = key(account, 1000L).key().key().id();
        world.use(account, "e1", 900, keyId);

        assertInstanceOf(EntitlementDecision.Allowed.class, check(account, 100, keyId));
        var refused = assertInstanceOf(EntitlementDecision.ApiKeyQuotaExceeded.class, check(account, 101, keyId));
        assertEquals(keyId, refused.apiKeyId());
        assertEquals(100, refused.item().remaining());

        world.use(account, "e2", 100, keyId);
        assertInstanceOf(EntitlementDecision.ApiKeyQuotaExceeded.class, check(account, 0, keyId));
        assertInstanceOf(EntitlementDecision.Allowed.class, check(account, 0, null), "the account itself still may");
    }

    @Test
    void an_unknown_revoked_expired_or_foreign_key_is_invalid_before_anything_else() {
        world.catalog(tokens(QuotaWindow.MONTH, 1_000_000, null));
        UUID account = world.activeAccount();
        UUID stranger = UUID.randomUUID();
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class, check(account, 1, UUID.randomUUID()));

        UUID foreign = key(world.activeAccount(), null).key().key().id();
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class, check(account, 1, foreign));

        UUID keyId = key(stranger, null).key().key().id();
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class, check(stranger, 1, UUID.randomUUID()),
                "an account without billing: the invalid key is named first");
        assertInstanceOf(EntitlementDecision.BillingRequired.class, check(stranger, 1, keyId));

        UUID expiring = ((CreateKey.Result.Created) create.create(new CreateKey.Command(account, "short", null,
                world.clock.instant().plusSeconds(60)))).key().key().id();
        assertInstanceOf(EntitlementDecision.Allowed.class, check(account, 1, expiring));
        world.clock.advance(Duration.ofSeconds(60));
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class, check(account, 1, expiring));

        UUID revoked = key(account, null).key().key().id();
        assertInstanceOf(RevokeKey.Result.Revoked.class, revoke.revoke(account, revoked));
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class, check(account, 1, revoked));
    }

    @Test
    void a_reservation_with_a_spent_key_holds_nothing_and_replays_its_answer() {
        world.catalog(tokens(QuotaWindow.MONTH, 1_000_000, null));
        UUID account = world.activeAccount();
        UUID keyId = key(account, 100L).key().key().id();
        CheckEntitlement.Command reserve = new CheckEntitlement.Command(account, LLM, TOKENS, 101, "r1",
                Duration.ofMinutes(5), keyId);

        var first = (CheckEntitlement.Result.Decided) world.checkEntitlement.check(reserve);
        assertInstanceOf(EntitlementDecision.ApiKeyQuotaExceeded.class, first.decision());
        assertEquals(0, world.tally(account, QuotaWindow.MONTH).reserved());
        var again = (CheckEntitlement.Result.Decided) world.checkEntitlement.check(reserve);
        assertTrue(again.replayed());

        var allowed = (CheckEntitlement.Result.Decided) world.checkEntitlement.check(
                new CheckEntitlement.Command(account, LLM, TOKENS, 100, "r2", Duration.ofMinutes(5), keyId));
        assertInstanceOf(EntitlementDecision.Allowed.class, allowed.decision());
        assertEquals(100, world.tally(account, QuotaWindow.MONTH).reserved());
    }

    @Test
    void only_the_owner_revokes_and_revoking_twice_changes_nothing() {
        UUID account = UUID.randomUUID();
        UUID keyId = key(account, null).key().key().id();
        assertInstanceOf(RevokeKey.Result.NotFound.class, revoke.revoke(UUID.randomUUID(), keyId));
        assertEquals(KeyStatus.ACTIVE, list.list(account).keys().getFirst().status());

        var first = (RevokeKey.Result.Revoked) revoke.revoke(account, keyId);
        Instant revokedAt = first.key().key().revokedAt();
        world.clock.advance(Duration.ofMinutes(1));
        var second = (RevokeKey.Result.Revoked) revoke.revoke(account, keyId);
        assertEquals(revokedAt, second.key().key().revokedAt());
        assertEquals(KeyStatus.REVOKED, second.key().status());
        assertInstanceOf(RevokeKey.Result.NotFound.class, revoke.revoke(account, UUID.randomUUID()));
    }
}
