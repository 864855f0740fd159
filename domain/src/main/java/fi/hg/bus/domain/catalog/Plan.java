package fi.hg.bus.domain.catalog;

import java.util.ArrayList;
import java.util.Collections;
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
        List<QuotaRule> matching = new ArrayList<>(quotas.size());
        for (QuotaRule q : quotas) {
            if (q.matches(feature, meter)) {
                matching.add(q);
            }
        }
        return Collections.unmodifiableList(matching);
    }

    /** Whether the plan enables {@code feature}: it lists it, or has a quota on it. */
    public boolean offers(String feature) {
        if (features.contains(feature)) {
            return true;
        }
        for (QuotaRule q : quotas) {
            if (q.feature().equals(feature)) {
                return true;
            }
        }
        return false;
    }
}
