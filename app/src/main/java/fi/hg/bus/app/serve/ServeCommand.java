package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve every HTTP API of Bus billing from one port and run the background workers.",
                "With no database URL the embedded PostgreSQL in $BUS_DATA_DIR (default ~/.local/share/bus) is used."})
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Address to listen on (default 127.0.0.1:8080).")
    String addr;

    @Option(names = "--store", paramLabel = "postgres|embedded",
            description = "postgres: only the configured database, never the embedded one (also BUS_STORE).")
    String store;

    private final Env env;

    public ServeCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServeConfig config;
        try {
            config = ServeConfig.read(env, addr, store);
        } catch (ConfigException e) {
            throw new CommandFailed(ExitCodes.USAGE, "serve: " + e.getMessage());
        }
        LogSetup.use(config.observability().logFormat());
        BusServer server;
        try {
            server = BusServer.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new CommandFailed(ExitCodes.FAILURE, "serve: " + e.getMessage());
        }
        // SIGTERM and SIGINT start the graceful stop here, on this thread, rather than in a JVM
        // shutdown hook: hooks run alongside the one that closes the log handlers, and the stop's
        // own log lines would be lost. Other ways the JVM ends still close the server through the hook.
        CountDownLatch signalled = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (signal.compareAndSet(null, "SIG" + s.getName())) {
                        signalled.countDown();
                    } else {
                        LOG.info("SIG" + s.getName() + " received: already shutting down");
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.fine("SIG" + name + " is not handled here (" + e.getMessage() + "); the shutdown hook stops the server");
            }
        }
        Thread hook = new Thread(server::close, "bus-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        signalled.await();
        LOG.info(signal.get() + " received: shutting down");
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // the JVM is already on its way out
        }
        return 0;
    }
}
