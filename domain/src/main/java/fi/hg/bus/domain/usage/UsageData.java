package fi.hg.bus.domain.usage;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A usage record's data: the JSON object as sent, with its numeric and text values indexed by
 * dotted path ({@code total_tokens}, {@code usage.prompt_tokens}) for the export policy.
 */
public record UsageData(String json, Map<String, BigDecimal> numbers, Map<String, String> texts) {

    public UsageData {
        Objects.requireNonNull(json, "json");
        numbers = Map.copyOf(numbers);
        texts = Map.copyOf(texts);
    }

    /** Data known only as JSON text, with no values indexed; null for null. */
    public static UsageData ofJson(String json) {
        return json == null ? null : new UsageData(json, Map.of(), Map.of());
    }

    public Optional<BigDecimal> number(String path) {
        return Optional.ofNullable(numbers.get(path));
    }

    public Optional<String> text(String path) {
        return Optional.ofNullable(texts.get(path));
    }
}
