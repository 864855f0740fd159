package fi.hg.bus.domain.catalog;

/** Something sold: plans belong to a product. */
public record Product(String id, String name) {
}
