package fi.hg.bus.domain.keys;

import fi.hg.bus.domain.entitlement.EntitlementDecision;
import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTest {

    private static final UUID ACCOUNT = UUID.fromString("3f0c2d4e-1b2a-4c5d-8e9f-0a1b2c3d4e5f");
    private static final UUID OTHER = UUID.fromString("00000000-0000-4000-8000-000000000002");
    private static final Instant NOW = Instant.parse("2026-05-26T10:00:00Z");
    private static final String TOKENS = "bus_llm_tokens";

    private static ApiKey key(Long limit, Instant expiresAt, Instant revokedAt) {
        return new ApiKey(UUID.fromString("11111111-1111-4111-8111-111111111111"), ACCOUNT, "ci", "sk-AbCdEfGh",
                limit, expiresAt, NOW.minusSeconds(3600), revokedAt);
    }

    @Test
    void a_key_is_revoked_before_expired_before_exhausted() {
        assertEquals(KeyStatus.ACTIVE, key(100L, null, null).status(NOW, 99));
        assertEquals(KeyStatus.EXHAUSTED, key(100L, null, null).status(NOW, 100));
        assertEquals(KeyStatus.ACTIVE, key(null, null, null).status(NOW, Long.MAX_VALUE));
        assertEquals(KeyStatus.EXPIRED, key(100L, NOW, null).status(NOW, 100));
        assertEquals(KeyStatus.ACTIVE, key(100L, NOW.plusSeconds(1), null).status(NOW, 0));
        assertEquals(KeyStatus.REVOKED, key(100L, NOW, NOW).status(NOW, 100));
    }

    @Test
    void a_spent_key_still_authenticates_but_a_revoked_or_expired_one_does_not() {
        assertTrue(key(100L, null, null).authenticates(NOW));
        assertEquals(false, key(100L, NOW.minusSeconds(1), null).authenticates(NOW));
        assertEquals(false, key(100L, null, NOW.minusSeconds(1)).authenticates(NOW));
    }

    @Test
    void a_check_naming_a_key_of_another_account_or_a_dead_key_is_refused_as_invalid() {
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class,
                key(null, null, null).refusal(OTHER, "llm:proxy", TOKENS, 1, TOKENS, 0, NOW).orElseThrow());
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class,
                key(null, NOW, null).refusal(ACCOUNT, "llm:proxy", TOKENS, 1, TOKENS, 0, NOW).orElseThrow());
        assertInstanceOf(EntitlementDecision.ApiKeyInvalid.class,
                key(null, null, NOW).refusal(ACCOUNT, "llm:proxy", TOKENS, 1, TOKENS, 0, NOW).orElseThrow());
    }

    @Test
    void a_limited_key_refuses_when_spent_or_when_the_quantity_would_pass_its_limit() {
        ApiKey key = key(100L, null, null);
        assertEquals(Optional.empty(), key.refusal(ACCOUNT, "llm:proxy", TOKENS, 10, TOKENS, 90, NOW));
        var refused = (EntitlementDecision.ApiKeyQuotaExceeded) key.refusal(ACCOUNT, "llm:proxy", TOKENS, 11, TOKENS, 90, NOW)
                .orElseThrow();
        assertEquals(key.id(), refused.apiKeyId());
        assertEquals(QuotaWindow.TOTAL, refused.item().window());
        assertEquals(90, refused.item().used());
        assertEquals(100, refused.item().limit());
        assertEquals(10, refused.item().remaining());
        assertEquals(false, refused.item().exceeded());
        assertTrue(key.refusal(ACCOUNT, "llm:proxy", null, 0, TOKENS, 100, NOW).isPresent(), "spent: refused even with no quantity");
        assertEquals(Optional.empty(), key.refusal(ACCOUNT, "container:run", "bus_container_runtime_seconds", 500, TOKENS, 90, NOW),
                "a quantity of another meter does not count against the key's limit");
        assertTrue(key.refusal(ACCOUNT, "container:run", "bus_container_runtime_seconds", 1, TOKENS, 100, NOW).isPresent(),
                "a spent key is refused for every meter");
    }

    @Test
    void an_unlimited_key_never_refuses_for_quota() {
        assertEquals(Optional.empty(), key(null, null, null).refusal(ACCOUNT, "llm:proxy", TOKENS, Long.MAX_VALUE / 2,
                TOKENS, Long.MAX_VALUE / 2, NOW));
    }

    @Test
    void names_are_printable_and_short() {
        assertEquals(Optional.empty(), ApiKey.nameProblem("CI key – prod ✓"));
        assertTrue(ApiKey.nameProblem(" ").isPresent());
        assertTrue(ApiKey.nameProblem("a\nb").isPresent());
        assertTrue(ApiKey.nameProblem("\u001b[31mred").isPresent());
        assertTrue(ApiKey.nameProblem("x".repeat(101)).isPresent());
        assertEquals(Optional.empty(), ApiKey.nameProblem("😀".repeat(100)), "characters, not UTF-16 units");
        assertTrue(ApiKey.nameProblem("\ud800").isPresent());
        assertThrows(IllegalArgumentException.class, () -> new ApiKey(UUID.randomUUID(), ACCOUNT, "", "sk-x", null, null, NOW, null));
        assertThrows(IllegalArgumentException.class, () -> new ApiKey(UUID.randomUUID(), ACCOUNT, "n", "sk-x", 0L, null, NOW, null));
    }
}
