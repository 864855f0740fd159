package fi.hg.bus.adapters.cli.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiUrlTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:8080, http://127.0.0.1:8080",
            "http://127.0.0.1:8080/, http://127.0.0.1:8080",
            "HTTPS://Bus.Example.com, https://bus.example.com",
            "https://bus.example.com/api/v1/billing, https://bus.example.com",
            "https://bus.example.com/api/v1/billing/, https://bus.example.com",
            "https://bus.example.com/api/internal/billing, https://bus.example.com",
            "https://bus.example.com/api/v1/keys, https://bus.example.com",
            "https://bus.example.com/api/internal, https://bus.example.com",
            "https://bus.example.com/api, https://bus.example.com",
            "https://example.com/bus, https://example.com/bus",
            "https://example.com/bus/api/v1/billing, https://example.com/bus",
            "http://[::1]:8080/api/internal/billing, http://[::1]:8080",
            "'  http://localhost:9000  ', http://localhost:9000",
    })
    void a_server_origin_or_a_module_base_gives_the_origin(String given, String origin) {
        assertEquals(origin, ApiUrl.parse(given).base());
    }

    @Test
    void paths_are_added_to_the_origin() {
        assertEquals("https://example.com/bus/api/internal/billing/catalog",
                ApiUrl.parse("https://example.com/bus/api/v1/billing").resolve("/api/internal/billing/catalog").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "127.0.0.1:8080", "ftp://example.com", "file:///etc/passwd", "http://",
            "http:///path", "not a url", "https://user:secret@example.com", "https://example.com/?x=1",
            "https://example.com/#top", "javascript:alert(1)"})
    void anything_but_an_http_url_is_refused(String given) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiUrl.parse(given));
        assertFalse(!given.isBlank() && e.getMessage().contains("secret"), "the message never repeats a password");
    }
}
