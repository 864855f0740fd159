package fi.hg.bus.application.storage;

/** Tells whether the store answers queries; backs the readiness check. */
public interface StorageProbe {

    /** Returns when the store answered a query; throws {@link StorageUnavailableException} with the reason otherwise. */
    void check();
}
