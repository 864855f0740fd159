package fi.hg.bus.application.billing;

/**
 * The payment provider could not be reached, did not answer in time, or refused a request. The
 * message is safe to show: it holds no secret.
 */
public final class ProviderFailure extends RuntimeException {

    private final boolean retryable;

    private ProviderFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Not reachable, not in time, overloaded or failing on its side: the same request may work later. */
    public static ProviderFailure unavailable(String message, Throwable cause) {
        return new ProviderFailure(message, true, cause);
    }

    /** The provider refused the request: repeating it will not help until something is changed. */
    public static ProviderFailure refused(String message, Throwable cause) {
        return new ProviderFailure(message, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
