package fi.hg.bus.app.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.provider.stripe.StripeAccountCheck;
import fi.hg.bus.application.billing.ProviderFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus operator stripe test}: a harmless read that shows the key works and its mode. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Check the Stripe secret key with a harmless read (the balance) and say whether it is in live "
                + "or test mode. The key itself is never printed."})
public final class StripeTestCommand implements Callable<Integer> {

    @Mixin
    StripeKey key;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public StripeTestCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        StripeAccountCheck.Report report;
        try {
            report = new StripeAccountCheck(key.gateway(env)).check();
        } catch (ProviderFailure e) {
            throw StripeFailures.of(e);
        }
        String mode = report.livemode() ? "live" : "test";
        if (format.format() == Format.JSON) {
            ObjectNode json = new ObjectMapper().createObjectNode()
                    .put("ok", true).put("mode", mode).put("livemode", report.livemode())
                    .put("key_kind", report.keyKind()).put("api_base", report.apiBase());
            output.result(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            output.result("Stripe answered at " + report.apiBase() + ": the " + report.keyKind() + " key works, in "
                    + mode + " mode" + (report.livemode() ? " (real money)." : " (no real money moves)."));
        }
        return 0;
    }
}
