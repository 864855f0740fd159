package fi.hg.bus.domain.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopesTest {

    @Test
    void a_space_separated_text_is_parsed_into_its_scopes_in_order() {
        Scopes scopes = Scopes.parse("usage:read usage:delete billing:read");

        assertEquals(List.of("usage:read", "usage:delete", "billing:read"), List.copyOf(scopes.values()));
    }

    @Test
    void repeated_and_surrounding_spaces_are_ignored() {
        Scopes scopes = Scopes.parse("  usage:read    usage:delete  ");

        assertEquals(List.of("usage:read", "usage:delete"), List.copyOf(scopes.values()));
    }

    @Test
    void a_repeated_scope_counts_once() {
        assertEquals(Set.of("usage:read"), Scopes.parse("usage:read usage:read").values());
    }

    @Test
    void an_empty_or_blank_text_is_no_scopes() {
        assertTrue(Scopes.parse("").isEmpty());
        assertTrue(Scopes.parse("   ").isEmpty());
    }

    @Test
    void the_text_form_reads_back_to_the_same_scopes() {
        Scopes scopes = Scopes.parse("billing:entitlement:check  usage:write llm:proxy");

        assertEquals("billing:entitlement:check usage:write llm:proxy", scopes.text());
        assertEquals(scopes, Scopes.parse(scopes.text()));
    }

    @Test
    void of_builds_the_same_scopes_as_parse() {
        assertEquals(Scopes.parse("a:b c"), Scopes.of("a:b", "c"));
        assertEquals("a:b c", Scopes.of("a:b", "c").text());
    }

    @Test
    void contains_answers_for_exact_scopes_only() {
        Scopes scopes = Scopes.parse("usage:read usage:write");

        assertTrue(scopes.contains("usage:read"));
        assertTrue(scopes.containsAll(List.of("usage:read", "usage:write")));
        assertFalse(scopes.contains("usage"));
        assertFalse(scopes.contains("USAGE:READ"));
        assertFalse(scopes.containsAll(List.of("usage:read", "usage:delete")));
    }

    @Test
    void every_allowed_character_is_accepted() {
        Scopes scopes = Scopes.parse("Az09_.:*-/");

        assertTrue(scopes.contains("Az09_.:*-/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"usage:read\tusage:write", "usage:read\nusage:write", "usage,read", "usage\"read",
            "bad;scope", "usage:read\u0000", "ümlaut", "a=b", "(x)", "usage:read\u00a0usage:write"})
    void a_scope_with_a_character_outside_the_allowed_set_is_refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Scopes.parse(text));
    }

    @Test
    void a_scope_of_100_characters_is_accepted_and_101_refused() {
        assertTrue(Scopes.parse("s".repeat(100)).contains("s".repeat(100)));
        assertThrows(IllegalArgumentException.class, () -> Scopes.parse("s".repeat(101)));
    }

    @Test
    void an_empty_scope_given_directly_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> Scopes.of(""));
    }

    @Test
    void a_refusal_does_not_echo_non_printable_input() {
        var e = assertThrows(IllegalArgumentException.class, () -> Scopes.parse("bad\u0007scope"));

        assertFalse(e.getMessage().contains("\u0007"), e.getMessage());
    }

    @Test
    void the_values_cannot_be_changed() {
        Scopes scopes = new Scopes(new LinkedHashSet<>(List.of("a")));

        assertThrows(UnsupportedOperationException.class, () -> scopes.values().add("b"));
    }
}
