package fi.hg.bus.domain.metering;

import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The billing export policy: which usage records become meter quantity. Failed, aborted and
 * unmapped records are never billed.
 */
public final class ExportPolicy {

    public static final String LLM_FEATURE = "llm:proxy";
    public static final String LLM_METER = "bus_llm_tokens";
    public static final String CONTAINER_FEATURE = "container:run";
    public static final String CONTAINER_METER = "bus_container_runtime_seconds";

    private final List<ExportRule> rules;

    private ExportPolicy(List<ExportRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * {@code usage_recorded} → {@code llm:proxy}/{@code bus_llm_tokens} from {@code total_tokens},
     * else {@code tokens}, else {@code input_tokens + output_tokens}, else
     * {@code prompt_tokens + completion_tokens}; {@code container_run_finished} →
     * {@code container:run}/{@code bus_container_runtime_seconds} from {@code duration_ms}, rounded up
     * to whole seconds.
     */
    public static ExportPolicy defaults() {
        return new ExportPolicy(List.of(
                new ExportRule(UsageEventType.USAGE_RECORDED, LLM_FEATURE, LLM_METER, List.of(
                        List.of("total_tokens"), List.of("tokens"),
                        List.of("input_tokens", "output_tokens"), List.of("prompt_tokens", "completion_tokens")), 1),
                new ExportRule(UsageEventType.CONTAINER_RUN_FINISHED, CONTAINER_FEATURE, CONTAINER_METER,
                        List.of(List.of("duration_ms")), 1000)));
    }

    /** Nothing is billed. */
    public static ExportPolicy off() {
        return new ExportPolicy(List.of());
    }

    public static ExportPolicy of(List<ExportRule> rules) {
        for (ExportRule rule : rules) {
            if (isNeverBilled(rule.eventType())) {
                throw new IllegalArgumentException("event type " + rule.eventType().wireName() + " is never billed");
            }
        }
        return new ExportPolicy(rules);
    }

    /** Failed and aborted work is never billed, whatever a policy file says. */
    public static boolean isNeverBilled(UsageEventType type) {
        return switch (type) {
            case REQUEST_FAILED, CLIENT_ABORTED, CONTAINER_RUN_FAILED, RUNTIME_START_FAILED, RUNTIME_STOP_FAILED,
                 USAGE_MISSING -> true;
            default -> false;
        };
    }

    /** The quantities a record bills: one per matching rule; none for unmapped records. */
    public List<MeteredUsage> meter(UsageRecord record) {
        List<MeteredUsage> result = new ArrayList<>(1);
        for (ExportRule rule : rules) {
            if (rule.eventType() == record.type()) {
                rule.apply(record.data()).ifPresent(result::add);
            }
        }
        return result;
    }

    public List<ExportRule> rules() {
        return rules;
    }
}
