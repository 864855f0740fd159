package fi.hg.bus.domain.catalog;

import fi.hg.bus.domain.quota.QuotaWindow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static fi.hg.bus.domain.quota.QuotaWindow.DAY;
import static fi.hg.bus.domain.quota.QuotaWindow.MINUTE;
import static fi.hg.bus.domain.quota.QuotaWindow.MONTH;
import static fi.hg.bus.domain.quota.QuotaWindow.TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {

    private static final Product LLM = new Product("llm", "LLM access");
    private static final Meter TOKENS = new Meter("bus_llm_tokens", "tokens");
    private static final Price MONTHLY = new Price("eur", 1000, "month");

    private static QuotaRule quota(QuotaWindow window, long limit, String upgrade) {
        return new QuotaRule("llm:proxy", "bus_llm_tokens", window, limit, upgrade);
    }

    private static Plan plan(String id, List<QuotaRule> quotas) {
        return new Plan(id, id, "llm", List.of("llm:proxy"), List.of(MONTHLY), quotas, Map.of());
    }

    /** The spec's example catalog, with the plan it recommends. */
    private static List<Plan> examplePlans() {
        return List.of(
                new Plan("llm-basic", "LLM Basic", "llm", List.of("llm:proxy"), List.of(MONTHLY),
                        List.of(quota(MINUTE, 20_000, "llm-pro"), quota(MONTH, 1_000_000, "llm-pro")),
                        Map.of("stripe", Map.of("price_lookup_key", "llm-basic-monthly"))),
                new Plan("llm-pro", "LLM Pro", "llm", List.of("llm:proxy"), List.of(new Price("eur", 5000, "month")),
                        List.of(quota(MONTH, 10_000_000, null)), Map.of()));
    }

    private static List<String> problemsOf(List<Plan> plans) {
        return Catalog.validate(List.of(LLM), List.of(TOKENS), plans);
    }

    /** The place each problem names: its text before the first ": ". */
    private static List<String> paths(List<String> problems) {
        return problems.stream().map(p -> p.contains(": ") ? p.substring(0, p.indexOf(": ")) : p).toList();
    }

    private static void assertOneProblem(List<String> problems, String path, String saying) {
        assertEquals(List.of(path), paths(problems), problems.toString());
        assertTrue(problems.getFirst().contains(saying), problems.getFirst());
    }

    @Test
    void the_example_catalog_of_the_spec_is_valid() {
        assertEquals(List.of(), problemsOf(examplePlans()));
        Catalog catalog = Catalog.of(List.of(LLM), List.of(TOKENS), examplePlans());
        assertEquals(2, catalog.plan("llm-basic").orElseThrow().quotas().size());
    }

    @Test
    void an_empty_catalog_is_valid() {
        assertEquals(List.of(), Catalog.validate(List.of(), List.of(), List.of()));
    }

    @Test
    void ids_must_be_plain_stable_strings() {
        for (String bad : new String[]{"", "has space", "-leading-dash", "ä", "x".repeat(101), "a/b"}) {
            List<String> problems = Catalog.validate(List.of(new Product(bad, "x")), List.of(), List.of());
            assertOneProblem(problems, "products[0].id", bad.isEmpty() ? "is required" : "must be");
        }
        assertEquals(List.of(), Catalog.validate(List.of(new Product("a.b_c:d-1", "x")), List.of(), List.of()));
        assertEquals(List.of(), Catalog.validate(List.of(new Product("x".repeat(100), "x")), List.of(), List.of()));
    }

    @Test
    void a_missing_id_is_required() {
        assertOneProblem(Catalog.validate(List.of(new Product(null, "x")), List.of(), List.of()), "products[0].id", "is required");
        assertOneProblem(Catalog.validate(List.of(), List.of(new Meter(null, "x")), List.of()), "meters[0].name", "is required");
        assertOneProblem(problemsOf(List.of(plan(null, List.of()))), "plans[0].id", "is required");
    }

    @Test
    void a_product_may_be_defined_once() {
        List<String> problems = Catalog.validate(List.of(LLM, new Product("llm", "again")), List.of(), List.of());
        assertOneProblem(problems, "products[1].id", "defined twice");
    }

    @Test
    void a_meter_may_be_defined_once() {
        List<String> problems = Catalog.validate(List.of(), List.of(TOKENS, new Meter("bus_llm_tokens", "t")), List.of());
        assertOneProblem(problems, "meters[1].name", "defined twice");
    }

    @Test
    void a_plan_may_be_defined_once() {
        assertOneProblem(problemsOf(List.of(plan("basic", List.of()), plan("basic", List.of()))), "plans[1].id", "defined twice");
    }

    @Test
    void a_plan_must_belong_to_an_existing_product() {
        Plan orphan = new Plan("basic", "Basic", "no-such-product", List.of(), List.of(), List.of(), Map.of());
        assertOneProblem(problemsOf(List.of(orphan)), "plans[0].product_id", "no-such-product");
    }

    @Test
    void a_plan_without_a_product_is_allowed() {
        Plan free = new Plan("basic", "Basic", null, List.of("llm:proxy"), List.of(), List.of(), Map.of());
        assertEquals(List.of(), problemsOf(List.of(free)));
    }

    @Test
    void a_feature_must_be_a_plain_id() {
        Plan p = new Plan("basic", "Basic", "llm", List.of("llm:proxy", "bad feature"), List.of(), List.of(), Map.of());
        assertOneProblem(problemsOf(List.of(p)), "plans[0].features[1]", "must be");
    }

    @Test
    void an_upgrade_must_name_an_existing_plan() {
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(quota(DAY, 10, "ghost"))))),
                "plans[0].quotas[0].upgrade_plan_id", "ghost");
    }

    @Test
    void an_upgrade_may_name_a_plan_defined_later_in_the_catalog() {
        assertEquals(List.of(), problemsOf(List.of(plan("basic", List.of(quota(DAY, 10, "pro"))), plan("pro", List.of()))));
    }

    @Test
    void a_plan_cannot_be_its_own_upgrade() {
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(quota(DAY, 10, "basic"))))),
                "plans[0].quotas[0].upgrade_plan_id", "own upgrade");
    }

    @Test
    void a_limit_must_be_positive() {
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(quota(DAY, 0, null))))), "plans[0].quotas[0].limit", "positive");
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(quota(DAY, -5, null))))), "plans[0].quotas[0].limit", "positive");
        assertEquals(List.of(), problemsOf(List.of(plan("basic", List.of(quota(DAY, 1, null))))));
    }

    @Test
    void a_quota_needs_a_window() {
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(quota(null, 10, null))))), "plans[0].quotas[0].window", "required");
    }

    @Test
    void a_plan_may_not_repeat_a_feature_meter_and_window() {
        List<String> problems = problemsOf(List.of(plan("basic", List.of(quota(DAY, 10, null), quota(DAY, 20, null)))));
        assertOneProblem(problems, "plans[0].quotas[1]", "\"day\"");
    }

    @Test
    void the_same_feature_and_meter_may_have_several_windows() {
        assertEquals(List.of(), problemsOf(List.of(plan("basic",
                List.of(quota(MINUTE, 10, null), quota(DAY, 100, null), quota(MONTH, 1000, null), quota(TOTAL, 5000, null))))));
    }

    @Test
    void two_plans_may_each_have_the_same_window() {
        assertEquals(List.of(), problemsOf(List.of(plan("basic", List.of(quota(DAY, 10, null))),
                plan("pro", List.of(quota(DAY, 100, null))))));
    }

    @Test
    void a_quota_must_name_a_declared_meter_when_meters_are_declared() {
        QuotaRule gpu = new QuotaRule("llm:proxy", "gpu_seconds", DAY, 10, null);
        assertOneProblem(problemsOf(List.of(plan("basic", List.of(gpu)))), "plans[0].quotas[0].meter_event_name", "gpu_seconds");
    }

    @Test
    void a_quota_may_name_any_meter_when_no_meters_are_declared() {
        QuotaRule gpu = new QuotaRule("llm:proxy", "gpu_seconds", DAY, 10, null);
        assertEquals(List.of(), Catalog.validate(List.of(LLM), List.of(), List.of(plan("basic", List.of(gpu)))));
    }

    @Test
    void a_price_needs_a_lowercase_currency_code() {
        for (String bad : new String[]{"EUR", "euro", "eu", "", "e1r"}) {
            Plan p = new Plan("basic", "Basic", "llm", List.of(), List.of(new Price(bad, 100, "month")), List.of(), Map.of());
            assertOneProblem(problemsOf(List.of(p)), "plans[0].prices[0].currency", "ISO 4217");
        }
        Plan none = new Plan("basic", "Basic", "llm", List.of(), List.of(new Price(null, 100, "month")), List.of(), Map.of());
        assertOneProblem(problemsOf(List.of(none)), "plans[0].prices[0].currency", "ISO 4217");
    }

    @Test
    void a_price_needs_a_known_interval() {
        for (String good : new String[]{"day", "week", "month", "year"}) {
            Plan p = new Plan("basic", "Basic", "llm", List.of(), List.of(new Price("eur", 100, good)), List.of(), Map.of());
            assertEquals(List.of(), problemsOf(List.of(p)), good);
        }
        for (String bad : new String[]{"monthly", "fortnight", "", "MONTH"}) {
            Plan p = new Plan("basic", "Basic", "llm", List.of(), List.of(new Price("eur", 100, bad)), List.of(), Map.of());
            assertOneProblem(problemsOf(List.of(p)), "plans[0].prices[0].interval", "month");
        }
    }

    @Test
    void a_price_amount_may_be_zero_but_not_negative() {
        Plan free = new Plan("free", "Free", "llm", List.of(), List.of(new Price("eur", 0, "month")), List.of(), Map.of());
        assertEquals(List.of(), problemsOf(List.of(free)));
        Plan negative = new Plan("neg", "Neg", "llm", List.of(), List.of(new Price("eur", -1, "month")), List.of(), Map.of());
        assertOneProblem(problemsOf(List.of(negative)), "plans[0].prices[0].unit_amount", "negative");
    }

    @Test
    void provider_mappings_hold_no_secrets() {
        for (String secret : new String[]{"sk_live_abc123", "sk_test_abc123", "rk_live_abc", "rk_test_abc", "whsec_abc123",
                "SK_LIVE_abc"}) {
            Plan p = new Plan("basic", "Basic", "llm", List.of(), List.of(), List.of(),
                    Map.of("stripe", Map.of("price_lookup_key", secret)));
            assertOneProblem(problemsOf(List.of(p)), "plans[0].provider_mappings.stripe.price_lookup_key", "secret");
        }
    }

    @Test
    void plain_provider_mappings_are_accepted() {
        Plan p = new Plan("basic", "Basic", "llm", List.of(), List.of(), List.of(),
                Map.of("stripe", Map.of("price_lookup_key", "llm-basic-monthly", "price_id", "price_123", "note", "pk_sk_live")));
        assertEquals(List.of(), problemsOf(List.of(p)));
    }

    @Test
    void every_problem_of_a_catalog_is_listed_at_once() {
        List<Product> products = List.of(new Product("bad id", "x"), LLM, new Product("llm", "again"));
        List<Meter> meters = List.of(TOKENS, new Meter("bus_llm_tokens", "again"));
        Plan broken = new Plan("basic", "Basic", "ghost-product", List.of("llm:proxy"),
                List.of(new Price("EUR", -1, "fortnight")),
                List.of(quota(DAY, 0, "ghost-plan"),
                        quota(DAY, 10, "basic"),
                        new QuotaRule("llm:proxy", "unknown_meter", MONTH, 10, null)),
                Map.of("stripe", Map.of("secret_key", "sk_live_123")));
        Plan twice = plan("basic", List.of());
        Plan nameless = plan("", List.of());

        List<String> problems = Catalog.validate(products, meters, List.of(broken, twice, nameless));

        List<String> expected = List.of(
                "products[0].id",
                "products[2].id",
                "meters[1].name",
                "plans[0].product_id",
                "plans[0].prices[0].currency",
                "plans[0].prices[0].unit_amount",
                "plans[0].prices[0].interval",
                "plans[0].quotas[0].limit",
                "plans[0].quotas[0].upgrade_plan_id",
                "plans[0].quotas[1].upgrade_plan_id",
                "plans[0].quotas[1]",
                "plans[0].quotas[2].meter_event_name",
                "plans[0].provider_mappings.stripe.secret_key",
                "plans[1].id",
                "plans[2].id");
        assertEquals(new ArrayList<>(expected).stream().sorted().toList(), paths(problems).stream().sorted().toList(),
                String.join("\n", problems));
    }

    @Test
    void building_an_invalid_catalog_fails_with_every_problem() {
        InvalidCatalog e = assertThrows(InvalidCatalog.class, () -> Catalog.of(List.of(), List.of(),
                List.of(plan("basic", List.of(quota(DAY, 0, "ghost"))))));
        assertEquals(List.of("plans[0].product_id", "plans[0].quotas[0].limit", "plans[0].quotas[0].upgrade_plan_id"),
                paths(e.problems()).stream().sorted().toList());
    }

    @Test
    void the_quota_file_replaces_the_quotas_of_the_plans_it_names_and_adds_the_others() {
        Catalog catalog = Catalog.of(List.of(LLM), List.of(TOKENS), examplePlans());
        Catalog updated = catalog.withQuotas(Map.of(
                "llm-basic", List.of(quota(DAY, 500, "llm-pro")),
                "trial", List.of(quota(TOTAL, 100, "llm-basic"))));
        assertEquals(List.of(quota(DAY, 500, "llm-pro")), updated.plan("llm-basic").orElseThrow().quotas());
        assertEquals("LLM Basic", updated.plan("llm-basic").orElseThrow().name());
        assertEquals(examplePlans().get(1), updated.plan("llm-pro").orElseThrow());
        Plan trial = updated.plan("trial").orElseThrow();
        assertEquals(List.of("llm:proxy"), trial.features());
        assertEquals(List.of(quota(TOTAL, 100, "llm-basic")), trial.quotas());
        assertThrows(InvalidCatalog.class, () -> catalog.withQuotas(Map.of("llm-basic", List.of(quota(DAY, 0, null)))));
    }
}
