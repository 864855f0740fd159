package fi.hg.bus.app.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.adapters.cli.Format;
import fi.hg.bus.adapters.cli.FormatOption;
import fi.hg.bus.adapters.cli.Output;
import fi.hg.bus.adapters.cli.operator.billing.CatalogFile;
import fi.hg.bus.adapters.http.billing.CatalogJson;
import fi.hg.bus.adapters.provider.stripe.StripeCatalogSync;
import fi.hg.bus.application.billing.ProviderFailure;
import fi.hg.bus.application.catalog.ReplaceCatalog;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.InvalidCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bus operator stripe catalog sync --file catalog.json}: Products, Prices and Meters from the catalog. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Create or update Stripe Products, Prices and Billing Meters from a Bus catalog, idempotently: "
                + "running it again changes nothing. Prints each object's Stripe id.",
                "Prices are found by lookup key: a plan's provider_mappings.stripe.price_lookup_key for its first price, "
                        + "else bus_<plan>_<currency>_<interval>. A changed amount makes a new price that takes the key over."})
public final class StripeCatalogSyncCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The Bus catalog, as JSON.")
    Path file;

    @Mixin
    StripeKey key;

    @Mixin
    FormatOption format;

    @Mixin
    Output output;

    private final Map<String, String> env;

    public StripeCatalogSyncCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Catalog catalog = read(file);
        var gateway = key.gateway(env);
        List<StripeCatalogSync.Line> lines;
        try {
            lines = new StripeCatalogSync(gateway).sync(catalog);
        } catch (ProviderFailure e) {
            throw StripeFailures.of(e);
        }
        if (format.format() == Format.JSON) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode objects = root.putArray("objects");
            for (StripeCatalogSync.Line l : lines) {
                objects.addObject().put("kind", l.kind()).put("name", l.name()).put("stripe_id", l.stripeId()).put("action", l.action());
            }
            output.result(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            output.result(table(lines));
        }
        return 0;
    }

    private static String table(List<StripeCatalogSync.Line> lines) {
        int kind = 4;
        int name = 4;
        int id = 9;
        for (StripeCatalogSync.Line l : lines) {
            kind = Math.max(kind, l.kind().length());
            name = Math.max(name, l.name().length());
            id = Math.max(id, l.stripeId().length());
        }
        StringBuilder b = new StringBuilder();
        String format = "%-" + kind + "s  %-" + name + "s  %-" + id + "s  %s";
        b.append(String.format(format, "KIND", "NAME", "STRIPE ID", "ACTION").stripTrailing());
        for (StripeCatalogSync.Line l : lines) {
            b.append(System.lineSeparator()).append(String.format(format, l.kind(), l.name(), l.stripeId(), l.action()).stripTrailing());
        }
        return b.toString();
    }

    private static Catalog read(Path file) {
        ObjectNode object = CatalogFile.read(file);
        ReplaceCatalog.Command parsed;
        try {
            parsed = CatalogJson.read(object);
        } catch (RuntimeException e) {
            throw failure(file + " is not a catalog: " + e.getMessage());
        }
        if (!parsed.parseProblems().isEmpty()) {
            throw failure(file + " is not a valid catalog:" + System.lineSeparator() + String.join(System.lineSeparator(), parsed.parseProblems()));
        }
        try {
            return Catalog.of(parsed.products(), parsed.meters(), parsed.plans());
        } catch (InvalidCatalog e) {
            throw failure(file + " is not a valid catalog:" + System.lineSeparator() + String.join(System.lineSeparator(), e.problems()));
        }
    }

    private static CommandFailed failure(String message) {
        return new CommandFailed(ExitCodes.FAILURE, message);
    }
}
