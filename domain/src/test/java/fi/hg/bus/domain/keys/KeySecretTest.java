package fi.hg.bus.domain.keys;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySecretTest {

    private static final String KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijkl";

    @Test
    void a_new_secret_is_sk_and_48_letters_and_digits() {
        KeySecret secret = KeySecret.generate(new SecureRandom());
        assertTrue(secret.reveal().matches("sk-[A-Za-z0-9]{48}"), secret.reveal());
    }

    @Test
    void secrets_use_the_whole_alphabet_and_do_not_repeat() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Character> seen = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String s = KeySecret.generate(random).reveal().substring(3);
            s.chars().forEach(c -> seen.add((char) c));
            secrets.add(s);
        }
        assertEquals(62, seen.size());
        assertEquals(2000, secrets.size());
    }

    @Test
    void the_sk_prefix_is_stripped_and_the_first_hyphen_separated_segment_is_the_key() {
        KeySecret plain = KeySecret.fromBearer("sk-" + KEY).orElseThrow();
        assertEquals("sk-" + KEY, plain.reveal());
        assertEquals("sk-" + KEY, KeySecret.fromBearer("sk-" + KEY + "-channel-7").orElseThrow().reveal());
        assertEquals("sk-" + KEY, KeySecret.fromBearer(KEY).orElseThrow().reveal(), "the sk- prefix is optional");
        assertEquals("sk-" + KEY, KeySecret.fromBearer(KEY + "-x").orElseThrow().reveal());
    }

    @Test
    void a_key_is_never_presented_by_a_prefix_of_itself_or_with_more_characters() {
        for (int n = 0; n < KEY.length(); n++) {
            assertEquals(Optional.empty(), KeySecret.fromBearer("sk-" + KEY.substring(0, n)), "prefix of " + n);
            assertEquals(Optional.empty(), KeySecret.fromBearer("sk-" + KEY.substring(0, n) + "-" + KEY), "prefix of " + n);
        }
        assertEquals(Optional.empty(), KeySecret.fromBearer("sk-" + KEY + "X"));
        assertEquals(Optional.empty(), KeySecret.fromBearer("sk-" + KEY.substring(1) + "_"));
        assertEquals(Optional.empty(), KeySecret.fromBearer("sk--" + KEY));
        assertEquals(Optional.empty(), KeySecret.fromBearer("sk-" + KEY.substring(0, 47) + "é"));
        assertEquals(Optional.empty(), KeySecret.fromBearer(null));
        assertEquals(Optional.empty(), KeySecret.fromBearer("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
    }

    @Test
    void the_store_finds_a_key_by_its_first_twelve_characters_and_lists_eight() {
        KeySecret secret = KeySecret.fromBearer("sk-" + KEY).orElseThrow();
        assertEquals(KEY.substring(0, 12), secret.lookup());
        assertEquals("sk-" + KEY.substring(0, 8), secret.shownPrefix());
        assertFalse(secret.toString().contains(KEY.substring(8)), "toString never shows the secret");
    }

    @Test
    void only_the_same_secret_matches_a_stored_hash() {
        KeySecret secret = KeySecret.fromBearer("sk-" + KEY).orElseThrow();
        byte[] stored = secret.hash();
        assertEquals(32, stored.length);
        assertTrue(secret.matches(stored));
        assertArrayEquals(stored, KeySecret.fromBearer(KEY + "-suffix").orElseThrow().hash());
        String sameLookup = KEY.substring(0, 12) + "Z".repeat(36);
        assertFalse(KeySecret.fromBearer(sameLookup).orElseThrow().matches(stored));
        assertFalse(secret.matches(null), "no stored key matches nothing");
        assertFalse(secret.matches(new byte[32]));
    }
}
