package fi.hg.bus.application.storage;

import java.util.function.Supplier;

/** Runs a unit of work in one database transaction: all of it is kept, or none. */
public interface Transactions {

    /**
     * Runs the work in a transaction and commits it when it returns.
     *
     * @throws StorageUnavailableException when the store cannot be reached
     */
    <T> T inTransaction(Supplier<T> work);
}
