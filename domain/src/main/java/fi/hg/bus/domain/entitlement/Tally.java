package fi.hg.bus.domain.entitlement;

/** What one quota window holds now: quantity used, and quantity held by open reservations. */
public record Tally(long used, long reserved) {

    public static final Tally ZERO = new Tally(0, 0);

    public long committed() {
        return used + reserved;
    }
}
