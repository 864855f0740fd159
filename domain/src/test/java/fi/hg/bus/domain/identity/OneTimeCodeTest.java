package fi.hg.bus.domain.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneTimeCodeTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String RIGHT = "a".repeat(64);
    private static final String WRONG = "b".repeat(64);

    private static OneTimeCode fresh() {
        return OneTimeCode.issue(UUID.randomUUID(), UUID.randomUUID(), RIGHT, NOW, Duration.ofMinutes(10));
    }

    @Test
    void the_right_digest_in_time_is_accepted_and_uses_the_code() {
        OneTimeCode.Attempt attempt = fresh().attempt(RIGHT, NOW.plusSeconds(599));
        OneTimeCode.Attempt.Accepted accepted = assertInstanceOf(OneTimeCode.Attempt.Accepted.class, attempt);
        assertEquals(OneTimeCode.State.USED, accepted.code().state());
        OneTimeCode.Attempt again = accepted.code().attempt(RIGHT, NOW.plusSeconds(600 - 1));
        assertEquals(OneTimeCode.Reason.USED, assertInstanceOf(OneTimeCode.Attempt.Unusable.class, again).reason());
    }

    @Test
    void at_its_expiry_the_code_is_unusable_and_counts_no_try() {
        OneTimeCode code = fresh();
        OneTimeCode.Attempt attempt = code.attempt(RIGHT, NOW.plus(Duration.ofMinutes(10)));
        OneTimeCode.Attempt.Unusable unusable = assertInstanceOf(OneTimeCode.Attempt.Unusable.class, attempt);
        assertEquals(OneTimeCode.Reason.EXPIRED, unusable.reason());
        assertEquals(code, unusable.code());
    }

    @Test
    void the_fifth_wrong_try_burns_the_code() {
        OneTimeCode code = fresh();
        for (int i = 1; i <= 4; i++) {
            OneTimeCode.Attempt.Wrong wrong = assertInstanceOf(OneTimeCode.Attempt.Wrong.class, code.attempt(WRONG, NOW));
            assertEquals(5 - i, wrong.triesLeft());
            assertEquals(OneTimeCode.State.OPEN, wrong.code().state());
            code = wrong.code();
        }
        OneTimeCode.Attempt.Wrong fifth = assertInstanceOf(OneTimeCode.Attempt.Wrong.class, code.attempt(WRONG, NOW));
        assertEquals(0, fifth.triesLeft());
        assertEquals(OneTimeCode.State.BURNED, fifth.code().state());
        OneTimeCode.Attempt right = fifth.code().attempt(RIGHT, NOW);
        assertEquals(OneTimeCode.Reason.BURNED, assertInstanceOf(OneTimeCode.Attempt.Unusable.class, right).reason());
    }

    @Test
    void a_replaced_code_is_unusable() {
        OneTimeCode code = fresh();
        OneTimeCode replaced = new OneTimeCode(code.id(), code.identityId(), RIGHT, NOW, code.expiresAt(), 0, OneTimeCode.State.REPLACED);
        assertEquals(OneTimeCode.Reason.REPLACED,
                assertInstanceOf(OneTimeCode.Attempt.Unusable.class, replaced.attempt(RIGHT, NOW)).reason());
    }

    @Test
    void a_code_is_exactly_six_ascii_digits() {
        assertTrue(OneTimeCode.wellFormed("012345"));
        for (String bad : new String[]{null, "", "12345", "1234567", "12345a", " 12345", "١٢٣٤٥٦", "12-456"}) {
            assertFalse(OneTimeCode.wellFormed(bad), String.valueOf(bad));
        }
    }
}
