package fi.hg.bus.app.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/** Switches the process's console log between the formats of {@code BUS_LOG_FORMAT}. */
public final class LogSetup {

    private LogSetup() {
    }

    /**
     * Writes the records of the root logger's console handlers in {@code format} from now on. A
     * {@code java.util.logging.config.file} given to the JVM wins: its formatter stays.
     */
    public static void use(LogFormat format) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(format.formatter());
            }
        }
    }
}
