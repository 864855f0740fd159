package fi.hg.bus.adapters.http.pages;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageSafetyTest {

    @Test
    void escaping_leaves_no_markup_quote_or_control_character() {
        assertEquals("&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;", Html.escape("<script>a&b\"c'd</script>"));
        assertEquals("x\uFFFDy\uFFFDz", Html.escape("x\u0000y\u001bz"));
        assertEquals("tab\tline\n", Html.escape("tab\tline\n"));
        assertEquals("", Html.escape(null));
        assertEquals("näkymä 😀", Html.escape("näkymä 😀"));
    }

    @Test
    void a_form_token_is_taken_only_with_its_own_cookie_for_its_own_session() {
        FormGuard guard = new FormGuard("k".repeat(32).getBytes(StandardCharsets.UTF_8));
        String token = guard.issue("session-a");

        assertTrue(guard.check("session-a", token, token).isPresent());
        assertEquals(token.substring(0, token.indexOf('.')), guard.check("session-a", token, token).get());
        assertEquals(Optional.empty(), guard.check("session-b", token, token));
        assertEquals(Optional.empty(), guard.check("session-a", token, null));
        assertEquals(Optional.empty(), guard.check("session-a", token, guard.issue("session-a")));
        assertEquals(Optional.empty(), new FormGuard("x".repeat(32).getBytes(StandardCharsets.UTF_8)).check("session-a", token, token));
        String forged = token.substring(0, token.indexOf('.') + 1) + "A".repeat(43);
        assertEquals(Optional.empty(), guard.check("session-a", forged, forged));
    }

    @Test
    void forms_are_read_strictly() {
        assertEquals(Optional.of(Map.of("a", "b c", "d", "ä")), Forms.parse("a=b+c&d=%C3%A4".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(Map.of()), Forms.parse(new byte[0]));
        assertEquals(Optional.empty(), Forms.parse("a=1&a=2".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), Forms.parse("a=%ZZ".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), Forms.parse("a=%FF".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), Forms.parse("=x".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), Forms.parse("a=ä".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void one_cookie_is_read_from_the_cookie_headers_and_a_repeated_one_is_not_trusted() {
        assertEquals("v", Forms.cookie(List.of("x=1; bus_csrf=v; y=2"), "bus_csrf"));
        assertNull(Forms.cookie(List.of("bus_csrf=v", "bus_csrf=w"), "bus_csrf"));
        assertNull(Forms.cookie(List.of("other=1"), "bus_csrf"));
    }
}
