package fi.hg.bus.domain.billing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReturnUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/done", "http://127.0.0.1:8080/back?x=1#y", "HTTPS://EXAMPLE.com"})
    void absolute_http_and_https_urls_are_return_urls(String text) {
        assertEquals(text, ReturnUrl.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,x", "ftp://example.com/", "/relative", "example.com",
            "https://user:pw@example.com/", "https://exa mple.com/", "https:///path", "http://", "https://example.com/\u00e4",
            "https://example.com/\n", "https://example.com/<x>", ""})
    void anything_else_is_refused_with_a_reason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReturnUrl.parse(text));
        assertTrue(e.getMessage().startsWith("must") || e.getMessage().startsWith("is not"), e.getMessage());
    }

    @Test
    void a_url_longer_than_2048_characters_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> ReturnUrl.parse("https://example.com/" + "a".repeat(2040)));
    }

    @Test
    void the_origin_is_the_lower_case_scheme_host_and_port() {
        assertEquals("https://example.com:8443", ReturnUrl.parse("HTTPS://Example.COM:8443/a/b?c").origin());
        assertEquals("http://localhost", ReturnUrl.parse("http://localhost/x").origin());
    }
}
