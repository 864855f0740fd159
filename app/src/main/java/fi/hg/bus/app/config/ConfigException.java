package fi.hg.bus.app.config;

/** The configuration cannot be used; the message says which setting and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
