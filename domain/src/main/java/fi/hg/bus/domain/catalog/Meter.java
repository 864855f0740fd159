package fi.hg.bus.domain.catalog;

/** A named usage unit, e.g. {@code bus_llm_tokens} counted in tokens. */
public record Meter(String name, String unit) {
}
