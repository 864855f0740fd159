package fi.hg.bus.application.storage;

/** The store cannot be reached or is not ready; the request may be repeated later. */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String reason) {
        super(reason);
    }

    public StorageUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
