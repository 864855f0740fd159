package fi.hg.bus.app.serve;

import fi.hg.bus.adapters.cli.CommandFailed;
import fi.hg.bus.adapters.cli.ExitCodes;
import fi.hg.bus.app.config.ConfigException;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.config.ServeConfig;
import fi.hg.bus.app.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve every HTTP API of Bus billing from one port and run the background workers.",
                "With no database URL the embedded PostgreSQL in $BUS_DATA_DIR (default ~/.local/share/bus) is used."})
public final class ServeCommand implements Callable<Integer> {

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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bus-shutdown"));
        stopped.await();
        return 0;
    }
}
