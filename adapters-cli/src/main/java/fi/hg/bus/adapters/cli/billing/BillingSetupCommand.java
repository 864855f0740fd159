package fi.hg.bus.adapters.cli.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus billing setup}: the URL of the hosted checkout, where you choose a plan and pay. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Print the URL of the page where you set up billing: choose a plan and, with Stripe, pay.",
                "Open it in a browser. With an active subscription on Stripe it is the billing portal, "
                        + "where the plan is changed."})
public final class BillingSetupCommand implements Callable<Integer> {

    @Mixin
    ReturnUrlOption returnUrl;

    @Option(names = "--feature", paramLabel = "FEATURE", description = "Offer only the plans with this feature, e.g. llm:proxy.")
    String feature;

    @Option(names = "--plan", paramLabel = "PLAN", description = "Buy this plan, e.g. the recommended plan of a spent quota.")
    String plan;

    @Mixin
    ApiOptions api;

    @Mixin
    ApiToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public BillingSetupCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (feature != null) {
            body.put("feature", feature);
        }
        if (plan != null) {
            body.put("plan_id", plan);
        }
        String url = returnUrl.value();
        if (url != null) {
            body.put("return_url", url);
        }
        return BillingSessionCommand.open(env, api, token, "billing:setup", format, output, "/api/v1/billing/checkout-session", body);
    }
}
