package fi.hg.bus.domain.catalog;

import fi.hg.bus.domain.quota.QuotaWindow;

import java.util.Objects;

/** A meter and a window that some plan of a catalog has a quota on, for one feature. */
public record CountedWindow(String meter, QuotaWindow window) {

    public CountedWindow {
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(window, "window");
    }
}
