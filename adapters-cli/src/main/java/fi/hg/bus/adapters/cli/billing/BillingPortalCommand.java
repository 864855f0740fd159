package fi.hg.bus.adapters.cli.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.http.ApiClient;
import fi.hg.bus.adapters.cli.http.ApiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus billing portal}: the URL of the hosted portal, where you see and change your plan. */
@Command(name = "portal", mixinStandardHelpOptions = true,
        description = {"Print the URL of your billing portal: your plan, your quota windows and usage, "
                + "a change of plan, cancelling (with Stripe: invoices and payment methods too).",
                "Open it in a browser."})
public final class BillingPortalCommand implements Callable<Integer> {

    @Mixin
    ReturnUrlOption returnUrl;

    @Mixin
    ApiOptions api;

    @Mixin
    ApiToken token;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public BillingPortalCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        String url = returnUrl.value();
        if (url != null) {
            body.put("return_url", url);
        }
        return BillingSessionCommand.open(env, api, token, "billing:read", format, output, "/api/v1/billing/portal-session", body);
    }
}
