package fi.hg.bus.domain.metering;

import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExportPolicyTest {

    private static final UUID ACCOUNT = UUID.fromString("3a7c2d10-9b8e-4f6a-a5d4-c3b2a1f0e9d8");
    private final ExportPolicy policy = ExportPolicy.defaults();

    /** A record whose data holds these numbers, given as name, value, name, value, … */
    private static UsageRecord record(UsageEventType type, Object... numbers) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        for (int i = 0; i < numbers.length; i += 2) {
            values.put((String) numbers[i], new BigDecimal(numbers[i + 1].toString()));
        }
        return new UsageRecord("e-" + UUID.randomUUID(), type, ACCOUNT, Instant.parse("2026-03-14T12:00:00Z"),
                new UsageData("{}", values, Map.of()));
    }

    private static List<MeteredUsage> tokens(long quantity) {
        return List.of(new MeteredUsage("llm:proxy", "bus_llm_tokens", quantity));
    }

    private static List<MeteredUsage> seconds(long quantity) {
        return List.of(new MeteredUsage("container:run", "bus_container_runtime_seconds", quantity));
    }

    @Test
    void total_tokens_is_billed_before_every_other_count() {
        assertEquals(tokens(100), policy.meter(record(UsageEventType.USAGE_RECORDED, "total_tokens", 100, "tokens", 7,
                "input_tokens", 1, "output_tokens", 2, "prompt_tokens", 3, "completion_tokens", 4)));
    }

    @Test
    void tokens_is_billed_when_total_tokens_is_absent() {
        assertEquals(tokens(7), policy.meter(record(UsageEventType.USAGE_RECORDED, "tokens", 7,
                "input_tokens", 1, "output_tokens", 2, "prompt_tokens", 3, "completion_tokens", 4)));
    }

    @Test
    void input_and_output_tokens_are_added_when_neither_total_is_given() {
        assertEquals(tokens(3), policy.meter(record(UsageEventType.USAGE_RECORDED,
                "input_tokens", 1, "output_tokens", 2, "prompt_tokens", 30, "completion_tokens", 40)));
    }

    @Test
    void prompt_and_completion_tokens_are_added_last() {
        assertEquals(tokens(70), policy.meter(record(UsageEventType.USAGE_RECORDED, "prompt_tokens", 30, "completion_tokens", 40)));
    }

    @Test
    void a_pair_with_one_half_missing_is_skipped() {
        assertEquals(tokens(70), policy.meter(record(UsageEventType.USAGE_RECORDED,
                "input_tokens", 5, "prompt_tokens", 30, "completion_tokens", 40)));
        assertEquals(List.of(), policy.meter(record(UsageEventType.USAGE_RECORDED, "output_tokens", 5, "completion_tokens", 40)));
    }

    @Test
    void usage_without_any_token_count_bills_nothing() {
        assertEquals(List.of(), policy.meter(record(UsageEventType.USAGE_RECORDED, "latency_ms", 120)));
        assertEquals(List.of(), policy.meter(new UsageRecord(null, UsageEventType.USAGE_RECORDED, ACCOUNT, Instant.EPOCH, null)));
    }

    @Test
    void container_run_time_is_rounded_up_to_whole_seconds() {
        assertEquals(seconds(1), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 1)));
        assertEquals(seconds(1), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 999)));
        assertEquals(seconds(1), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 1000)));
        assertEquals(seconds(2), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 1001)));
        assertEquals(seconds(2), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 2000)));
        assertEquals(seconds(3600), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 3_600_000)));
    }

    @Test
    void a_container_run_without_a_duration_bills_nothing() {
        assertEquals(List.of(), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "exit_code", 0)));
    }

    @Test
    void failed_and_aborted_work_bills_nothing() {
        for (UsageEventType type : List.of(UsageEventType.REQUEST_FAILED, UsageEventType.CLIENT_ABORTED,
                UsageEventType.CONTAINER_RUN_FAILED, UsageEventType.RUNTIME_START_FAILED, UsageEventType.RUNTIME_STOP_FAILED,
                UsageEventType.USAGE_MISSING)) {
            assertEquals(List.of(), policy.meter(record(type, "total_tokens", 100, "duration_ms", 5000)), type.wireName());
            assertEquals(true, ExportPolicy.isNeverBilled(type), type.wireName());
        }
    }

    @Test
    void unmapped_events_bill_nothing_whatever_their_data() {
        for (UsageEventType type : List.of(UsageEventType.REQUEST_STARTED, UsageEventType.BACKEND_REQUEST_FINISHED,
                UsageEventType.CONTAINER_RUN_REQUESTED, UsageEventType.RUNTIME_START_FINISHED, UsageEventType.RUNTIME_READY)) {
            assertEquals(List.of(), policy.meter(record(type, "total_tokens", 100, "duration_ms", 5000)), type.wireName());
        }
    }

    @Test
    void zero_and_negative_quantities_bill_nothing() {
        assertEquals(List.of(), policy.meter(record(UsageEventType.USAGE_RECORDED, "total_tokens", 0)));
        assertEquals(List.of(), policy.meter(record(UsageEventType.USAGE_RECORDED, "total_tokens", -5)));
        assertEquals(List.of(), policy.meter(record(UsageEventType.USAGE_RECORDED, "input_tokens", 5, "output_tokens", -5)));
        assertEquals(List.of(), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 0)));
        assertEquals(List.of(), policy.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", -1000)));
    }

    @Test
    void the_off_policy_bills_nothing() {
        ExportPolicy off = ExportPolicy.off();
        assertEquals(List.of(), off.meter(record(UsageEventType.USAGE_RECORDED, "total_tokens", 100)));
        assertEquals(List.of(), off.meter(record(UsageEventType.CONTAINER_RUN_FINISHED, "duration_ms", 1000)));
    }

    @Test
    void a_custom_rule_maps_its_event_and_field_only() {
        ExportPolicy custom = ExportPolicy.of(List.of(
                ExportRule.ofField(UsageEventType.RUNTIME_STOP_FINISHED, "gpu:run", "gpu_seconds", "usage.gpu_seconds")));
        assertEquals(List.of(new MeteredUsage("gpu:run", "gpu_seconds", 42)),
                custom.meter(record(UsageEventType.RUNTIME_STOP_FINISHED, "usage.gpu_seconds", 42)));
        assertEquals(List.of(), custom.meter(record(UsageEventType.USAGE_RECORDED, "total_tokens", 100)));
    }

    @Test
    void a_custom_policy_cannot_bill_failed_work() {
        assertThrows(IllegalArgumentException.class, () -> ExportPolicy.of(List.of(
                ExportRule.ofField(UsageEventType.REQUEST_FAILED, "llm:proxy", "bus_llm_tokens", "total_tokens"))));
    }
}
