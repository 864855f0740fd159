package fi.hg.bus.domain.catalog;

import fi.hg.bus.domain.quota.QuotaWindow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The products, meters and plans on offer. A catalog is only ever built valid: {@link #validate}
 * lists every problem of a candidate at once.
 */
public final class Catalog {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}");
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
    private static final Set<String> INTERVALS = Set.of("day", "week", "month", "year");
    private static final Pattern SECRET_LIKE = Pattern.compile("(?i)^(sk|rk)_(test|live)_.*|^whsec_.*");

    private final List<Product> products;
    private final List<Meter> meters;
    private final List<Plan> plans;
    private final Map<String, Plan> plansById;
    /** Per feature, the meters and windows that any plan has a quota on, each once, in catalog order. */
    private final Map<String, List<CountedWindow>> countedByFeature;

    private Catalog(List<Product> products, List<Meter> meters, List<Plan> plans) {
        this.products = List.copyOf(products);
        this.meters = List.copyOf(meters);
        this.plans = List.copyOf(plans);
        this.plansById = plans.stream().collect(Collectors.toUnmodifiableMap(Plan::id, Function.identity()));
        Map<String, Set<CountedWindow>> counted = new java.util.LinkedHashMap<>();
        for (Plan plan : this.plans) {
            for (QuotaRule q : plan.quotas()) {
                counted.computeIfAbsent(q.feature(), f -> new java.util.LinkedHashSet<>())
                        .add(new CountedWindow(q.meterEventName(), q.window()));
            }
        }
        Map<String, List<CountedWindow>> byFeature = new java.util.HashMap<>();
        counted.forEach((feature, windows) -> byFeature.put(feature, List.copyOf(windows)));
        this.countedByFeature = Map.copyOf(byFeature);
    }

    public static Catalog empty() {
        return new Catalog(List.of(), List.of(), List.of());
    }

    /** A catalog of these parts, or {@link InvalidCatalog} listing every problem. */
    public static Catalog of(List<Product> products, List<Meter> meters, List<Plan> plans) {
        List<String> problems = validate(products, meters, plans);
        if (!problems.isEmpty()) {
            throw new InvalidCatalog(problems);
        }
        return new Catalog(products, meters, plans);
    }

    /** Every problem of a candidate catalog, each naming where it is; empty when it is valid. */
    public static List<String> validate(List<Product> products, List<Meter> meters, List<Plan> plans) {
        List<String> problems = new ArrayList<>();
        Set<String> productIds = new HashSet<>();
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            String at = "products[" + i + "]";
            checkId(problems, at + ".id", p.id());
            if (p.id() != null && !productIds.add(p.id())) {
                problems.add(at + ".id: product \"" + p.id() + "\" is defined twice");
            }
        }
        Set<String> meterNames = new HashSet<>();
        for (int i = 0; i < meters.size(); i++) {
            Meter m = meters.get(i);
            String at = "meters[" + i + "]";
            checkId(problems, at + ".name", m.name());
            if (m.name() != null && !meterNames.add(m.name())) {
                problems.add(at + ".name: meter \"" + m.name() + "\" is defined twice");
            }
        }
        Set<String> planIds = new HashSet<>();
        for (Plan plan : plans) {
            if (plan.id() != null) {
                planIds.add(plan.id());
            }
        }
        Set<String> seenPlans = new HashSet<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            String at = "plans[" + i + "]";
            checkId(problems, at + ".id", plan.id());
            if (plan.id() != null && !seenPlans.add(plan.id())) {
                problems.add(at + ".id: plan \"" + plan.id() + "\" is defined twice");
            }
            if (plan.productId() != null && !productIds.contains(plan.productId())) {
                problems.add(at + ".product_id: no product \"" + plan.productId() + "\"");
            }
            for (int f = 0; f < plan.features().size(); f++) {
                checkId(problems, at + ".features[" + f + "]", plan.features().get(f));
            }
            for (int p = 0; p < plan.prices().size(); p++) {
                Price price = plan.prices().get(p);
                String pat = at + ".prices[" + p + "]";
                if (price.currency() == null || !CURRENCY.matcher(price.currency()).matches()) {
                    problems.add(pat + ".currency: must be a lowercase ISO 4217 code such as \"eur\"");
                }
                if (price.unitAmount() < 0) {
                    problems.add(pat + ".unit_amount: must not be negative");
                }
                if (price.interval() == null || !INTERVALS.contains(price.interval())) {
                    problems.add(pat + ".interval: must be day, week, month or year");
                }
            }
            Set<String> rules = new HashSet<>();
            for (int q = 0; q < plan.quotas().size(); q++) {
                QuotaRule rule = plan.quotas().get(q);
                String qat = at + ".quotas[" + q + "]";
                checkId(problems, qat + ".feature", rule.feature());
                checkId(problems, qat + ".meter_event_name", rule.meterEventName());
                if (rule.meterEventName() != null && !meterNames.isEmpty() && !meterNames.contains(rule.meterEventName())) {
                    problems.add(qat + ".meter_event_name: no meter \"" + rule.meterEventName() + "\" in meters");
                }
                if (rule.window() == null) {
                    problems.add(qat + ".window: is required");
                }
                if (rule.limit() < 1) {
                    problems.add(qat + ".limit: must be a positive integer");
                }
                if (rule.upgradePlanId() != null) {
                    if (!planIds.contains(rule.upgradePlanId())) {
                        problems.add(qat + ".upgrade_plan_id: no plan \"" + rule.upgradePlanId() + "\"");
                    } else if (rule.upgradePlanId().equals(plan.id())) {
                        problems.add(qat + ".upgrade_plan_id: a plan cannot be its own upgrade");
                    }
                }
                String key = rule.feature() + "|" + rule.meterEventName() + "|" + windowName(rule.window());
                if (rule.window() != null && !rules.add(key)) {
                    problems.add(qat + ": the plan already has a quota for feature \"" + rule.feature()
                            + "\", meter \"" + rule.meterEventName() + "\" and window \"" + windowName(rule.window()) + "\"");
                }
            }
            plan.providerMappings().forEach((provider, settings) -> settings.forEach((k, v) -> {
                if (v != null && SECRET_LIKE.matcher(v).matches()) {
                    problems.add(at + ".provider_mappings." + provider + "." + k
                            + ": looks like a secret key; provider mappings hold no secrets");
                }
            }));
        }
        return problems;
    }

    private static String windowName(QuotaWindow w) {
        return w == null ? "?" : w.wireName();
    }

    private static void checkId(List<String> problems, String at, String id) {
        if (id == null || id.isEmpty()) {
            problems.add(at + ": is required");
        } else if (!ID.matcher(id).matches()) {
            problems.add(at + ": must be 1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
    }

    public List<Product> products() {
        return products;
    }

    public List<Meter> meters() {
        return meters;
    }

    public List<Plan> plans() {
        return plans;
    }

    public Optional<Plan> plan(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(plansById.get(id));
    }

    /**
     * The meters and windows of {@code feature} that some plan has a quota on: the only counters
     * of the feature that a decision under this catalog can read. Empty for a feature without quotas.
     */
    public List<CountedWindow> countedWindows(String feature) {
        return feature == null ? List.of() : countedByFeature.getOrDefault(feature, List.of());
    }

    /** The plans that offer {@code feature}, in catalog order. */
    public List<Plan> plansOffering(String feature) {
        return plans.stream().filter(p -> p.offers(feature)).toList();
    }

    /**
     * This catalog with the quotas of the given plans replaced; a plan it does not have is added
     * with only its id, its quotas and their features. Used for the startup quota file.
     */
    public Catalog withQuotas(Map<String, List<QuotaRule>> quotasByPlan) {
        List<Plan> updated = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Plan p : plans) {
            List<QuotaRule> q = quotasByPlan.get(p.id());
            updated.add(q == null ? p : new Plan(p.id(), p.name(), p.productId(), p.features(), p.prices(), q, p.providerMappings()));
            done.add(p.id());
        }
        quotasByPlan.forEach((id, q) -> {
            if (!done.contains(id)) {
                List<String> features = q.stream().map(QuotaRule::feature).distinct().toList();
                updated.add(new Plan(id, id, null, features, List.of(), q, Map.of()));
            }
        });
        return of(products, meters, updated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Catalog c && products.equals(c.products) && meters.equals(c.meters) && plans.equals(c.plans);
    }

    @Override
    public int hashCode() {
        return plans.hashCode();
    }
}
