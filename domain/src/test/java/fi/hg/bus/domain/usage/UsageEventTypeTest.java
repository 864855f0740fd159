package fi.hg.bus.domain.usage;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UsageEventTypeTest {

    /** The event types of SPEC section 3.1, in its order. */
    private static final List<String> SPEC_WIRE_NAMES = List.of(
            "request_started", "runtime_ready", "backend_request_started", "backend_request_finished",
            "usage_recorded", "usage_missing", "request_failed", "client_aborted",
            "container_run_requested", "container_run_finished", "container_run_failed",
            "runtime_start_requested", "runtime_start_finished", "runtime_start_failed",
            "runtime_stop_requested", "runtime_stop_finished", "runtime_stop_failed");

    @Test
    void the_wire_names_are_exactly_the_seventeen_of_the_spec() {
        assertEquals(17, SPEC_WIRE_NAMES.size());
        assertEquals(SPEC_WIRE_NAMES, Arrays.stream(UsageEventType.values()).map(UsageEventType::wireName).toList());
    }

    @Test
    void every_spec_name_reads_to_a_type_with_that_wire_name() {
        for (String name : SPEC_WIRE_NAMES) {
            Optional<UsageEventType> type = UsageEventType.fromWireName(name);
            assertEquals(name, type.orElseThrow(() -> new AssertionError("unknown: " + name)).wireName());
        }
    }

    @Test
    void the_wire_name_is_the_lowercase_constant_name() {
        for (UsageEventType type : UsageEventType.values()) {
            assertEquals(type.name().toLowerCase(java.util.Locale.ROOT), type.wireName());
        }
    }

    @Test
    void names_outside_the_spec_are_unknown() {
        assertEquals(Optional.empty(), UsageEventType.fromWireName("USAGE_RECORDED"));
        assertEquals(Optional.empty(), UsageEventType.fromWireName("Usage_Recorded"));
        assertEquals(Optional.empty(), UsageEventType.fromWireName("usage_recorded "));
        assertEquals(Optional.empty(), UsageEventType.fromWireName("usage-recorded"));
        assertEquals(Optional.empty(), UsageEventType.fromWireName("usage"));
        assertEquals(Optional.empty(), UsageEventType.fromWireName(""));
    }
}
