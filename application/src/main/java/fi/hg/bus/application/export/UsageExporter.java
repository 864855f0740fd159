package fi.hg.bus.application.export;

import fi.hg.bus.domain.export.UsageExport;

/** The payment provider's side of usage export. */
public interface UsageExporter {

    /** What became of one export. */
    sealed interface Outcome {
        /** The provider took it (or had taken it before under the same key). */
        record Accepted() implements Outcome {
        }

        /** It was not taken; it is tried again later. */
        record Failed(String reason) implements Outcome {
        }
    }

    /** The provider's name, as in subscription updates: {@code local} or {@code stripe}. */
    String provider();

    /** Sends one export, under its idempotency key. */
    Outcome export(UsageExport export);
}
