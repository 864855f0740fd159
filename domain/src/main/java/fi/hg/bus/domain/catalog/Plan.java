package fi.hg.bus.domain.catalog;

import java.util.List;
import java.util.Map;

/**
 * What an account subscribes to: enabled features, prices and quotas.
 *
 * @param productId        the product the plan belongs to, or null
 * @param providerMappings per provider, plain settings such as {@code price_lookup_key}; never secrets
 */
public record Plan(String id, String name, String productId, List<String> features, List<Price> prices,
                   List<QuotaRule> quotas, Map<String, Map<String, String>> providerMappings) {

    public Plan {
        features = List.copyOf(features);
        prices = List.copyOf(prices);
        quotas = List.copyOf(quotas);
        providerMappings = Map.copyOf(providerMappings);
    }

    /** The quotas that apply to work on {@code feature} measured in {@code meter} (null: every meter). */
    public List<QuotaRule> quotasFor(String feature, String meter) {
        return quotas.stream().filter(q -> q.matches(feature, meter)).toList();
    }

    public boolean offers(String feature) {
        return features.contains(feature) || quotas.stream().anyMatch(q -> q.feature().equals(feature));
    }
}
