package fi.hg.bus.domain.catalog;

import java.util.List;

/** A candidate catalog with problems; each names where it is. */
public final class InvalidCatalog extends RuntimeException {

    private final List<String> problems;

    public InvalidCatalog(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
