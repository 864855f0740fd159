package fi.hg.bus.adapters.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "Application/JSON", "APPLICATION/JSON; CHARSET=UTF-8", "  application/json  ", "application/problem+json",
            "application/vnd.api+json", "application/merge-patch+json; charset=utf-8"})
    void json_media_types_are_json(String contentType) {
        assertTrue(Bodies.isJson(contentType), contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
            "multipart/form-data; boundary=application/json", "application/jsonp", "application/json-seq",
            "application/xjson", "application/octet-stream", "text/plain; note=application/json", "json", "",
            "application", "application/", "image/svg+xml", "text/x+json"})
    void other_media_types_are_not_json(String contentType) {
        assertFalse(Bodies.isJson(contentType), contentType);
    }
}
