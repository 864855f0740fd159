package fi.hg.bus.application.catalog;

import fi.hg.bus.application.testing.BillingWorld;
import fi.hg.bus.domain.catalog.Meter;
import fi.hg.bus.domain.catalog.Plan;
import fi.hg.bus.domain.catalog.Product;
import fi.hg.bus.domain.catalog.QuotaRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static fi.hg.bus.application.testing.BillingWorld.tokens;
import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.MONTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplaceCatalogTest {

    private final BillingWorld world = new BillingWorld("2026-03-14T12:00:00Z");

    private static ReplaceCatalog.Command command(List<QuotaRule> quotas, List<String> parseProblems) {
        return new ReplaceCatalog.Command(List.of(new Product("llm", "LLM")), List.of(new Meter("bus_llm_tokens", "tokens")),
                List.of(new Plan("basic", "Basic", "llm", List.of("llm:proxy"), List.of(), quotas, Map.of())), parseProblems);
    }

    @Test
    void a_valid_catalog_becomes_the_next_version() {
        var first = assertInstanceOf(ReplaceCatalog.Result.Stored.class,
                world.replaceCatalog.replace(command(List.of(tokens(DAY, 10, null)), List.of())));
        var second = assertInstanceOf(ReplaceCatalog.Result.Stored.class,
                world.replaceCatalog.replace(command(List.of(tokens(DAY, 20, null)), List.of())));
        assertEquals(1, first.stored().version());
        assertEquals(2, second.stored().version());
        assertEquals(2, new ReadCatalog(world.catalogs).read().version());
        assertEquals(world.clock.instant(), second.stored().createdAt());
    }

    @Test
    void an_invalid_catalog_is_rejected_with_every_problem_and_the_previous_one_stays_active() {
        world.replaceCatalog.replace(command(List.of(tokens(DAY, 10, null)), List.of()));
        int transactionsBefore = world.transactions.count();

        var rejected = assertInstanceOf(ReplaceCatalog.Result.Rejected.class, world.replaceCatalog.replace(
                command(List.of(tokens(DAY, 0, "ghost"), tokens(DAY, 5, null), tokens(MONTH, 5, "basic")), List.of())));

        assertEquals(4, rejected.problems().size(), rejected.problems().toString());
        assertTrue(rejected.problems().stream().anyMatch(p -> p.startsWith("plans[0].quotas[0].limit")));
        assertTrue(rejected.problems().stream().anyMatch(p -> p.startsWith("plans[0].quotas[0].upgrade_plan_id")));
        assertTrue(rejected.problems().stream().anyMatch(p -> p.startsWith("plans[0].quotas[1]:")));
        assertTrue(rejected.problems().stream().anyMatch(p -> p.startsWith("plans[0].quotas[2].upgrade_plan_id")));
        assertEquals(1, world.catalogStore.versionCount());
        assertEquals(transactionsBefore, world.transactions.count(), "nothing is written for a rejected catalog");
        var active = new ReadCatalog(world.catalogs).read();
        assertEquals(1, active.version());
        assertEquals(List.of(tokens(DAY, 10, null)), active.catalog().plan("basic").orElseThrow().quotas());
    }

    @Test
    void problems_met_while_reading_come_first_and_are_not_repeated_by_validation() {
        String parsed = "plans[0].quotas[0].window: unknown window \"fortnight\" (minute, hour, day, week, month or total)";
        var rejected = assertInstanceOf(ReplaceCatalog.Result.Rejected.class, world.replaceCatalog.replace(
                command(List.of(tokens(null, 0, null)), List.of(parsed))));
        assertEquals(List.of(parsed, "plans[0].quotas[0].limit: must be a positive integer"), rejected.problems());
        assertEquals(0, world.catalogStore.versionCount());
    }

    @Test
    void a_quota_file_that_changes_nothing_stores_no_new_version() {
        world.replaceCatalog.replace(command(List.of(tokens(DAY, 10, null)), List.of()));
        ApplyQuotaFile apply = new ApplyQuotaFile(world.transactions, world.catalogStore, world.clock);
        Map<String, List<QuotaRule>> file = Map.of("basic", List.of(tokens(DAY, 50, null)), "trial", List.of(tokens(DAY, 5, "basic")));

        assertEquals(2, apply.apply(file));
        assertEquals(2, apply.apply(file));
        assertEquals(2, world.catalogStore.versionCount());
        var active = new ReadCatalog(world.catalogs).read().catalog();
        assertEquals(List.of(tokens(DAY, 50, null)), active.plan("basic").orElseThrow().quotas());
        assertEquals(List.of(tokens(DAY, 5, "basic")), active.plan("trial").orElseThrow().quotas());
    }
}
