package fi.hg.bus.domain.export;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportKeyTest {

    @Test
    void the_same_event_and_meter_always_give_the_same_short_key() {
        String key = ExportKey.of("evt-1", "llm:proxy", "bus_llm_tokens");

        assertEquals(key, ExportKey.of("evt-1", "llm:proxy", "bus_llm_tokens"));
        assertEquals(ExportKey.LENGTH, key.length());
        assertTrue(key.length() <= 100, "Stripe takes identifiers of at most 100 characters");
        assertTrue(key.matches("bus_usage_[0-9a-f]{40}"), key);
    }

    @Test
    void another_event_feature_or_meter_gives_another_key_and_the_event_id_does_not_show() {
        String key = ExportKey.of("evt-1", "llm:proxy", "bus_llm_tokens");

        assertNotEquals(key, ExportKey.of("evt-2", "llm:proxy", "bus_llm_tokens"));
        assertNotEquals(key, ExportKey.of("evt-1", "container:run", "bus_llm_tokens"));
        assertNotEquals(key, ExportKey.of("evt-1", "llm:proxy", "bus_container_runtime_seconds"));
        assertNotEquals(ExportKey.of("a\nb", "c", "d"), ExportKey.of("a", "b\nc", "d"));
        assertFalse(ExportKey.of("customer-secret-id", "f", "m").contains("customer"));
    }
}
