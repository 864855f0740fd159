package fi.hg.bus.adapters.provider.stripe;

import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.ProductUpdateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterListParams;
import fi.hg.bus.domain.catalog.Catalog;
import fi.hg.bus.domain.catalog.Plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes Stripe's Products, Prices and Billing Meters match a Bus catalog, idempotently: products by
 * id ({@code bus_<product id>}, or {@code bus_plan_<plan id>} for a plan without a product), prices by
 * lookup key, meters by event name. A price whose amount, currency or interval changed is replaced:
 * a new price takes over the lookup key ({@code transfer_lookup_key}); Stripe prices cannot change.
 */
public final class StripeCatalogSync {

    /** One object of the catalog and what was done in Stripe for it. */
    public record Line(String kind, String name, String stripeId, String action) {
    }

    private final StripeGateway stripe;

    public StripeCatalogSync(StripeGateway stripe) {
        this.stripe = stripe;
    }

    /** Syncs the catalog; stops at the first Stripe failure ({@link fi.hg.bus.application.billing.ProviderFailure}). */
    public List<Line> sync(Catalog catalog) {
        List<Line> lines = new ArrayList<>();
        Map<String, String> productIds = new HashMap<>();
        for (fi.hg.bus.domain.catalog.Product p : catalog.products()) {
            Line line = product(productId(p.id()), p.name() == null ? p.id() : p.name(), "bus_product_id", p.id());
            lines.add(new Line("product", p.id(), line.stripeId(), line.action()));
            productIds.put(p.id(), line.stripeId());
        }
        Set<String> usedKeys = new HashSet<>();
        for (Plan plan : catalog.plans()) {
            if (plan.prices().isEmpty()) {
                continue;
            }
            String product = plan.productId() != null ? productIds.get(plan.productId()) : null;
            if (product == null) {
                Line line = product("bus_plan_" + safe(plan.id()), plan.name() == null ? plan.id() : plan.name(),
                        "bus_plan_id", plan.id());
                lines.add(new Line("product", "plan " + plan.id(), line.stripeId(), line.action()));
                product = line.stripeId();
            }
            for (int i = 0; i < plan.prices().size(); i++) {
                fi.hg.bus.domain.catalog.Price price = plan.prices().get(i);
                String key = lookupKey(plan, i, usedKeys);
                Line line = price(key, product, plan, price);
                lines.add(line);
            }
        }
        Map<String, Meter> meters = meters();
        for (fi.hg.bus.domain.catalog.Meter m : catalog.meters()) {
            lines.add(meter(m, meters.get(m.name())));
        }
        return lines;
    }

    /**
     * The lookup key of a plan's price: the mapping's {@code price_lookup_key} for its first price,
     * else {@code bus_<plan>_<currency>_<interval>} (with a number when that is taken).
     */
    public static String lookupKey(Plan plan, int index, Set<String> used) {
        Map<String, String> mapping = plan.providerMappings().getOrDefault(StripePaymentProvider.NAME, Map.of());
        String key;
        if (index == 0 && mapping.get(StripePaymentProvider.LOOKUP_KEY) != null) {
            key = mapping.get(StripePaymentProvider.LOOKUP_KEY);
        } else {
            fi.hg.bus.domain.catalog.Price p = plan.prices().get(index);
            key = "bus_" + plan.id() + "_" + p.currency() + "_" + p.interval();
        }
        String unique = key;
        for (int n = 2; !used.add(unique); n++) {
            unique = key + "_" + n;
        }
        return unique;
    }

    private Line product(String id, String name, String metadataKey, String busId) {
        try {
            Product existing = stripe.client().v1().products().retrieve(id, stripe.options(null));
            if (!name.equals(existing.getName()) || Boolean.FALSE.equals(existing.getActive())) {
                stripe.client().v1().products().update(id, ProductUpdateParams.builder().setName(name).setActive(true).build(),
                        stripe.options(StripeGateway.key("bus_sync_product_update_", id, name)));
                return new Line("product", busId, id, "updated");
            }
            return new Line("product", busId, id, "exists");
        } catch (InvalidRequestException e) {
            if (e.getStatusCode() == null || e.getStatusCode() != 404) {
                throw StripeGateway.failure("reading product " + id, e);
            }
        } catch (StripeException e) {
            throw StripeGateway.failure("reading product " + id, e);
        }
        try {
            Product created = stripe.client().v1().products().create(ProductCreateParams.builder()
                    .setId(id).setName(name).putMetadata(metadataKey, busId).build(),
                    stripe.options(StripeGateway.key("bus_sync_product_", id, name)));
            return new Line("product", busId, created.getId(), "created");
        } catch (StripeException e) {
            throw StripeGateway.failure("creating product " + id, e);
        }
    }

    private Line price(String key, String product, Plan plan, fi.hg.bus.domain.catalog.Price price) {
        Optional<Price> existing;
        try {
            existing = stripe.client().v1().prices().list(PriceListParams.builder().addLookupKey(key).setLimit(1L).build(),
                    stripe.options(null)).getData().stream().findFirst();
        } catch (StripeException e) {
            throw StripeGateway.failure("finding price " + key, e);
        }
        if (existing.isPresent() && matches(existing.get(), product, price)) {
            return new Line("price", key, existing.get().getId(), "exists");
        }
        PriceCreateParams.Builder params = PriceCreateParams.builder()
                .setProduct(product)
                .setCurrency(price.currency())
                .setUnitAmount(price.unitAmount())
                .setRecurring(PriceCreateParams.Recurring.builder().setInterval(interval(price.interval())).build())
                .setLookupKey(key)
                .setNickname(plan.name() == null ? plan.id() : plan.name())
                .putMetadata("bus_plan_id", plan.id());
        if (existing.isPresent()) {
            params.setTransferLookupKey(true);
        }
        try {
            Price created = stripe.client().v1().prices().create(params.build(), stripe.options(StripeGateway.key(
                    "bus_sync_price_", key, product, price.currency(), Long.toString(price.unitAmount()), price.interval())));
            return new Line("price", key, created.getId(), existing.isPresent() ? "replaced " + existing.get().getId() : "created");
        } catch (StripeException e) {
            throw StripeGateway.failure("creating price " + key, e);
        }
    }

    private static boolean matches(Price p, String product, fi.hg.bus.domain.catalog.Price price) {
        return Boolean.TRUE.equals(p.getActive())
                && product.equals(p.getProduct())
                && price.currency().equalsIgnoreCase(p.getCurrency())
                && Long.valueOf(price.unitAmount()).equals(p.getUnitAmount())
                && p.getRecurring() != null && price.interval().equals(p.getRecurring().getInterval());
    }

    private Map<String, Meter> meters() {
        Map<String, Meter> byName = new HashMap<>();
        try {
            for (Meter m : stripe.client().v1().billing().meters().list(MeterListParams.builder().setLimit(100L).build(),
                    stripe.options(null)).autoPagingIterable()) {
                byName.merge(m.getEventName(), m, (a, b) -> "active".equals(a.getStatus()) ? a : b);
            }
        } catch (StripeException e) {
            throw StripeGateway.failure("listing billing meters", e);
        }
        return byName;
    }

    private Line meter(fi.hg.bus.domain.catalog.Meter m, Meter existing) {
        try {
            if (existing != null) {
                if ("active".equals(existing.getStatus())) {
                    return new Line("meter", m.name(), existing.getId(), "exists");
                }
                Meter again = stripe.client().v1().billing().meters().reactivate(existing.getId(),
                        stripe.options(StripeGateway.key("bus_sync_meter_reactivate_", existing.getId())));
                return new Line("meter", m.name(), again.getId(), "reactivated");
            }
            Meter created = stripe.client().v1().billing().meters().create(MeterCreateParams.builder()
                    .setDisplayName(m.unit() == null ? m.name() : m.name() + " (" + m.unit() + ")")
                    .setEventName(m.name())
                    .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
                    .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
                            .setEventPayloadKey("stripe_customer_id")
                            .setType(MeterCreateParams.CustomerMapping.Type.BY_ID).build())
                    .setValueSettings(MeterCreateParams.ValueSettings.builder().setEventPayloadKey("value").build())
                    .build(), stripe.options(StripeGateway.key("bus_sync_meter_", m.name())));
            return new Line("meter", m.name(), created.getId(), "created");
        } catch (StripeException e) {
            throw StripeGateway.failure("creating billing meter " + m.name(), e);
        }
    }

    private static PriceCreateParams.Recurring.Interval interval(String interval) {
        return switch (interval) {
            case "day" -> PriceCreateParams.Recurring.Interval.DAY;
            case "week" -> PriceCreateParams.Recurring.Interval.WEEK;
            case "year" -> PriceCreateParams.Recurring.Interval.YEAR;
            default -> PriceCreateParams.Recurring.Interval.MONTH;
        };
    }

    static String productId(String busId) {
        return "bus_" + safe(busId);
    }

    private static String safe(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    }
}
