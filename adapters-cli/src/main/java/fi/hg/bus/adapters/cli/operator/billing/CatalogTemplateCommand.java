package fi.hg.bus.adapters.cli.operator.billing;

import fi.hg.bus.adapters.cli.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code bus operator billing catalog template}: a complete example catalog to start from; no server call. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = {"Print a complete example catalog to edit and store with 'catalog put --file FILE'.",
                "Two plans of one product, LLM Basic and LLM Pro, with per-minute and per-month token quotas."})
public final class CatalogTemplateCommand implements Callable<Integer> {

    /** SPEC 4.1's example with the plan it upgrades to. Prices are in minor units (1000 = 10.00 EUR). */
    public static final String TEMPLATE = """
            {
              "products": [
                {"id": "llm", "name": "LLM access"}
              ],
              "meters": [
                {"name": "bus_llm_tokens", "unit": "tokens"}
              ],
              "plans": [
                {
                  "id": "llm-basic",
                  "name": "LLM Basic",
                  "product_id": "llm",
                  "features": ["llm:proxy"],
                  "prices": [
                    {"currency": "eur", "unit_amount": 1000, "interval": "month"}
                  ],
                  "quotas": [
                    {"feature": "llm:proxy", "meter_event_name": "bus_llm_tokens", "window": "minute", "limit": 20000, "upgrade_plan_id": "llm-pro"},
                    {"feature": "llm:proxy", "meter_event_name": "bus_llm_tokens", "window": "month", "limit": 1000000, "upgrade_plan_id": "llm-pro"}
                  ],
                  "provider_mappings": {
                    "stripe": {"price_lookup_key": "llm-basic-monthly"}
                  }
                },
                {
                  "id": "llm-pro",
                  "name": "LLM Pro",
                  "product_id": "llm",
                  "features": ["llm:proxy"],
                  "prices": [
                    {"currency": "eur", "unit_amount": 5000, "interval": "month"}
                  ],
                  "quotas": [
                    {"feature": "llm:proxy", "meter_event_name": "bus_llm_tokens", "window": "minute", "limit": 100000},
                    {"feature": "llm:proxy", "meter_event_name": "bus_llm_tokens", "window": "month", "limit": 10000000}
                  ],
                  "provider_mappings": {
                    "stripe": {"price_lookup_key": "llm-pro-monthly"}
                  }
                }
              ]
            }""";

    @Mixin
    Output output;

    @Override
    public Integer call() {
        output.result(TEMPLATE);
        return 0;
    }
}
