package fi.hg.bus.domain.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmailAddressTest {

    @Test
    void an_address_is_trimmed_and_lower_cased() {
        assertEquals("first.last+tag@mail.example.com", EmailAddress.parse("  First.Last+Tag@Mail.Example.COM \n").value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co", "x_y-z@sub-domain.example.fi", "o'brien@example.ie", "1@2.3"})
    void ordinary_addresses_are_accepted(String text) {
        assertEquals(text, EmailAddress.parse(text).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "a@b", "a@@b.com", "@b.com", "a@.com", "a@b..com", "a.@b.com", ".a@b.com",
            "a b@c.com", "a@b_c.com", "a@-b.com", "a@b-.com", "\"quoted\"@b.com", "a@[127.0.0.1]", "ä@b.com",
            "a@b.com\r\nBcc: c@d.com", "a@b.com>", "<a@b.com"})
    void anything_else_is_refused_without_repeating_it(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmailAddress.parse(text));
        if (!text.isBlank()) {
            assertFalse(e.getMessage().contains(text), e.getMessage());
        }
    }

    @Test
    void the_parts_have_their_length_limits() {
        assertThrows(IllegalArgumentException.class, () -> EmailAddress.parse("a".repeat(65) + "@example.com"));
        EmailAddress.parse("a".repeat(64) + "@example.com");
        assertThrows(IllegalArgumentException.class, () -> EmailAddress.parse("a@" + "b".repeat(64) + ".com"));
        String longest = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(58) + ".fi";
        assertEquals(254, longest.length());
        EmailAddress.parse(longest);
        assertThrows(IllegalArgumentException.class, () -> EmailAddress.parse("a" + longest));
        assertThrows(IllegalArgumentException.class, () -> EmailAddress.parse(null));
    }
}
