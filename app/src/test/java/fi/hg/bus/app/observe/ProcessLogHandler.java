package fi.hg.bus.app.observe;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A handler on the root logger that sees what an operator's log would hold: every record of our
 * own code and libraries' records from INFO on. {@link #close()} removes it and puts the levels back.
 */
public abstract class ProcessLogHandler extends Handler implements AutoCloseable {

    private final Logger root = Logger.getLogger("");
    /** Held so that its level stays set while installed. */
    private final Logger ours = Logger.getLogger("fi.hg.bus");
    private Level rootLevel;
    private Level ourLevel;

    /** Puts this handler on the root logger; returns it. */
    protected final <H extends ProcessLogHandler> H installed(H self) {
        rootLevel = root.getLevel();
        ourLevel = ours.getLevel();
        root.setLevel(Level.INFO);
        ours.setLevel(Level.ALL);
        root.addHandler(this);
        return self;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(rootLevel);
        ours.setLevel(ourLevel);
    }
}
