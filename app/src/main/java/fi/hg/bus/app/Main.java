package fi.hg.bus.app;

import fi.hg.bus.adapters.cli.Cli;
import fi.hg.bus.app.config.Env;
import fi.hg.bus.app.serve.ServeCommand;
import fi.hg.bus.app.stripe.StripeCatalogCommand;
import fi.hg.bus.app.stripe.StripeCatalogSyncCommand;
import fi.hg.bus.app.stripe.StripeOperatorCommand;
import fi.hg.bus.app.stripe.StripeTestCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/** {@code bus}: the server and the command line in one jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Logging.configure();
        System.exit(run(Env.system(), args,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), stdoutIsTerminal()));
    }

    /** Runs one command line and returns its exit code. */
    public static int run(Env env, String[] args, PrintWriter out, PrintWriter err) {
        return run(env, args, out, err, false);
    }

    /** As above; {@code terminal} says whether stdout is a terminal (then text may be coloured). */
    public static int run(Env env, String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
        // only the branch that args name is built, and serve and stripe only when wanted: a short
        // command starts without modelling the whole command tree (docs/cli.md, "Start time")
        Supplier<Object> serve = () -> new ServeCommand(env);
        Supplier<Object> stripe = () -> stripe(env);
        Cli cli = Cli.forArgs(new LocalSigner(env, Clock.systemUTC()), env.values(),
                Map.of("serve", serve, "operator stripe", stripe), out, err, terminal, args);
        return cli.run(args);
    }

    /**
     * Whether stdout is a terminal. On JDK 21 {@link System#console()} is null unless both ends
     * are one; from JDK 22 it may exist for redirected streams too, and {@code Console.isTerminal}
     * (called reflectively: the code is compiled for 21) tells.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** {@code bus operator stripe test | catalog sync}. */
    private static CommandLine stripe(Env env) {
        return new CommandLine(new StripeOperatorCommand())
                .addSubcommand("test", new StripeTestCommand(env.values()))
                .addSubcommand("catalog", new CommandLine(new StripeCatalogCommand())
                        .addSubcommand("sync", new StripeCatalogSyncCommand(env.values())));
    }
}
