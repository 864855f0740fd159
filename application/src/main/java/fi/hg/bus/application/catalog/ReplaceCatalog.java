package fi.hg.bus.application.catalog;

import fi.hg.bus.application.storage.Transactions;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Product;

import java.time.Clock;
import java.util.List;

/** Stores a new catalog version when it is valid; an invalid one changes nothing. */
public final class ReplaceCatalog {

    public record Command(List<Product> products, List<Meter> meters, List<Plan> plans, List<String> parseProblems) {
    }

    public sealed interface Result {
        record Stored(CatalogStore.StoredCatalog stored) implements Result {
        }

        record Rejected(List<String> problems) implements Result {
        }
    }

    private final Transactions transactions;
    private final CatalogStore store;
    private final Clock clock;

    public ReplaceCatalog(Transactions transactions, CatalogStore store, Clock clock) {
        this.transactions = transactions;
        this.store = store;
        this.clock = clock;
    }

    /** The place a problem names: its text before the first ": ". */
    private static String path(String problem) {
        int colon = problem.indexOf(": ");
        return colon < 0 ? problem : problem.substring(0, colon);
    }

    public Result replace(Command command) {
        List<String> problems = new java.util.ArrayList<>(command.parseProblems());
        java.util.Set<String> parsed = new java.util.HashSet<>();
        command.parseProblems().forEach(p -> parsed.add(path(p)));
        for (String p : Catalog.validate(command.products(), command.meters(), command.plans())) {
            if (!parsed.contains(path(p))) {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            return new Result.Rejected(problems);
        }
        Catalog catalog = Catalog.of(command.products(), command.meters(), command.plans());
        return new Result.Stored(transactions.inTransaction(() -> {
            store.lockForChange();
            return store.save(catalog, clock.instant());
        }));
    }
}
