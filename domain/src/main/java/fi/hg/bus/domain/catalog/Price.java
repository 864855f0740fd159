package fi.hg.bus.domain.catalog;

/** A recurring price in minor units of a currency, e.g. 1000 eur cents per month. */
public record Price(String currency, long unitAmount, String interval) {
}
