package fi.hg.bus.adapters.cli;

import fi.hg.bus.adapters.cli.keys.CreateKeyCommand;
import fi.hg.bus.adapters.cli.keys.KeysCommand;
import fi.hg.bus.adapters.cli.keys.ListKeysCommand;
import fi.hg.bus.adapters.cli.keys.RevokeKeyCommand;
import fi.hg.bus.adapters.cli.auth.ApiTokenCommand;
import fi.hg.bus.adapters.cli.auth.AuthCommand;
import fi.hg.bus.adapters.cli.auth.AuthStatusCommand;
import fi.hg.bus.adapters.cli.auth.LoginCommand;
import fi.hg.bus.adapters.cli.auth.LogoutCommand;
import fi.hg.bus.adapters.cli.auth.RegisterCommand;
import fi.hg.bus.adapters.cli.auth.VerifyCommand;
import fi.hg.bus.adapters.cli.billing.BillingCommand;
import fi.hg.bus.adapters.cli.billing.StatusCommand;
import fi.hg.bus.adapters.cli.billing.BillingPortalCommand;
import fi.hg.bus.adapters.cli.billing.BillingSetupCommand;
import fi.hg.bus.adapters.cli.operator.IssueTokenCommand;
import fi.hg.bus.adapters.cli.operator.LocalTokenSigner;
import fi.hg.bus.adapters.cli.operator.OperatorCommand;
import fi.hg.bus.adapters.cli.operator.TokenCommand;
import fi.hg.bus.adapters.cli.operator.billing.BillingStatusCommand;
import fi.hg.bus.adapters.cli.operator.billing.CatalogCommand;
import fi.hg.bus.adapters.cli.operator.billing.CatalogGetCommand;
import fi.hg.bus.adapters.cli.operator.billing.CatalogPutCommand;
import fi.hg.bus.adapters.cli.operator.billing.CatalogTemplateCommand;
import fi.hg.bus.adapters.cli.operator.auth.ApproveCommand;
import fi.hg.bus.adapters.cli.operator.auth.OperatorAuthCommand;
import fi.hg.bus.adapters.cli.operator.auth.RejectCommand;
import fi.hg.bus.adapters.cli.operator.auth.WaitlistCommand;
import fi.hg.bus.adapters.cli.operator.billing.OperatorBillingCommand;
import fi.hg.bus.adapters.cli.script.RunCommand;
import fi.hg.bus.adapters.cli.shell.ShellCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Builds the {@code bus} command line and runs it, mapping every outcome to the exit codes in one
 * place: 0 success, 1 failure, 2 usage error, 3 credentials, 4 refused by the server.
 */
public final class Cli {

    private final CommandLine commandLine;

    private Cli(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    /**
     * The command tree. {@code env} is the process environment, read once by the caller (commands
     * never read {@code System.getenv} themselves, so tests can give their own). {@code extra} adds
     * commands that the composition root provides (such as {@code serve}), by name; a name
     * {@code "operator NAME"} adds it under {@code bus operator}.
     */
    public static Cli create(LocalTokenSigner signer, Map<String, String> env, Map<String, Object> extra,
                             PrintWriter out, PrintWriter err) {
        return create(signer, env, extra, out, err, false);
    }

    /** As above; {@code terminal} says whether stdout is a terminal (text may then be coloured). */
    public static Cli create(LocalTokenSigner signer, Map<String, String> env, Map<String, Object> extra,
                             PrintWriter out, PrintWriter err, boolean terminal) {
        return create(signer, env, extra, out, err, terminal, name -> true);
    }

    /**
     * The command tree for running {@code args} once, as {@link #run} would: only the branch of
     * the top-level command they name (every command's model is built by reflection when it is
     * added, which is most of a short command's start-up time), and none for a bare
     * {@code --version}. Anything else (no command, {@code --help}, an unknown name) gets the whole
     * tree, so usage messages and suggestions are the same. A value in {@code extra} may be a
     * {@link Supplier} of the command, made only when its branch is wanted.
     */
    public static Cli forArgs(LocalTokenSigner signer, Map<String, String> env, Map<String, Object> extra,
                              PrintWriter out, PrintWriter err, boolean terminal, String... args) {
        return create(signer, env, extra, out, err, terminal, branchOf(extra, args));
    }

    /** The top-level commands this class makes (the composition root may add more through {@code extra}). */
    private static final Set<String> TOP_LEVEL = Set.of("auth", "billing", "operator", "keys", "run", "shell");

    /**
     * Which top-level names {@code args} need (see {@link #forArgs}). Options before the command
     * are the root's: any but {@code -V}/{@code --version} (say {@code --help}) shows the whole tree.
     */
    static Predicate<String> branchOf(Map<String, Object> extra, String... args) {
        Predicate<String> all = name -> true;
        if (args.length > 0 && namesScript(args[0])) {
            return "run"::equals;
        }
        for (String arg : args) {
            if (arg.startsWith("-")) {
                if (!arg.equals("-V") && !arg.equals("--version")) {
                    return all;
                }
            } else {
                return TOP_LEVEL.contains(arg) || (extra.containsKey(arg) && !arg.contains(" ")) ? arg::equals : all;
            }
        }
        return args.length > 0 ? name -> false : all;
    }

    private static Cli create(LocalTokenSigner signer, Map<String, String> env, Map<String, Object> extra,
                              PrintWriter out, PrintWriter err, boolean terminal, Predicate<String> wanted) {
        Map<String, String> environment = Map.copyOf(env);
        Clock clock = Clock.systemUTC();
        CommandLine root = new CommandLine(new BusCommand());
        if (wanted.test("auth")) {
            root.addSubcommand("auth", new CommandLine(new AuthCommand())
                    .addSubcommand("register", new RegisterCommand(environment))
                    .addSubcommand("login", new LoginCommand(environment))
                    .addSubcommand("verify", new VerifyCommand(environment))
                    .addSubcommand("status", new AuthStatusCommand(environment, clock))
                    .addSubcommand("token", new ApiTokenCommand(environment, clock))
                    .addSubcommand("logout", new LogoutCommand(environment)));
        }
        if (wanted.test("billing")) {
            root.addSubcommand("billing", new CommandLine(new BillingCommand())
                    .addSubcommand("status", new StatusCommand(environment, clock, terminal))
                    .addSubcommand("setup", new BillingSetupCommand(environment))
                    .addSubcommand("portal", new BillingPortalCommand(environment)));
        }
        CommandLine operator = null;
        if (wanted.test("operator")) {
            CommandLine token = new CommandLine(new TokenCommand())
                    .addSubcommand("issue", new IssueTokenCommand(signer, environment));
            CommandLine catalog = new CommandLine(new CatalogCommand())
                    .addSubcommand("template", new CatalogTemplateCommand())
                    .addSubcommand("get", new CatalogGetCommand(environment))
                    .addSubcommand("put", new CatalogPutCommand(environment));
            CommandLine billing = new CommandLine(new OperatorBillingCommand())
                    .addSubcommand("status", new BillingStatusCommand(environment))
                    .addSubcommand("catalog", catalog);
            operator = new CommandLine(new OperatorCommand())
                    .addSubcommand("token", token)
                    .addSubcommand("billing", billing)
                    .addSubcommand("auth", new CommandLine(new OperatorAuthCommand())
                            .addSubcommand("waitlist", new WaitlistCommand(environment))
                            .addSubcommand("approve", new ApproveCommand(environment))
                            .addSubcommand("reject", new RejectCommand(environment)));
            root.addSubcommand("operator", operator);
        }
        if (wanted.test("keys")) {
            root.addSubcommand("keys", new CommandLine(new KeysCommand())
                    .addSubcommand("create", new CreateKeyCommand(environment, clock))
                    .addSubcommand("list", new ListKeysCommand(environment))
                    .addSubcommand("revoke", new RevokeKeyCommand(environment)));
        }
        CommandLine operatorBranch = operator;
        extra.forEach((name, command) -> {
            if (name.startsWith("operator ")) {
                if (operatorBranch != null) {
                    operatorBranch.addSubcommand(name.substring("operator ".length()), made(command));
                }
            } else if (wanted.test(name)) {
                root.addSubcommand(name, made(command));
            }
        });
        // .bus scripts and the shell run their lines on a command tree of their own, made the same way
        Supplier<Cli> lines = () -> create(signer, environment, extra, out, err, terminal);
        if (wanted.test("run")) {
            root.addSubcommand("run", new RunCommand(environment, lines));
        }
        if (wanted.test("shell")) {
            root.addSubcommand("shell", new ShellCommand(environment, lines));
        }
        versions(root);
        root.setOut(out);
        root.setErr(err);
        root.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CommandFailed failed) {
                cmd.getErr().println("bus: " + Secrets.redact(failed.getMessage()));
                return failed.exitCode();
            }
            cmd.getErr().println("bus: " + Secrets.redact(ex.getMessage()));
            return ExitCodes.FAILURE;
        });
        root.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("bus: " + Secrets.redact(ex.getMessage()));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return new Cli(root);
    }

    /** An {@code extra} command as given, or made by its {@link Supplier}. */
    private static Object made(Object command) {
        return command instanceof Supplier<?> supplier ? supplier.get() : command;
    }

    /** Every command answers {@code --version} with the version of bus. */
    private static void versions(CommandLine command) {
        if (command.getCommandSpec().versionProvider() == null && command.getCommandSpec().version().length == 0) {
            command.getCommandSpec().versionProvider(new BusVersion());
        }
        command.getSubcommands().values().forEach(Cli::versions);
    }

    /**
     * Runs one command line. A first argument that names a script (it ends in {@code .bus}, or
     * holds a {@code /} as the path an executable file with {@code #!/usr/bin/env bus} is started
     * with) runs it: {@code bus FILE.bus ARGS} is {@code bus run FILE.bus ARGS}.
     */
    public int run(String... args) {
        if (args.length > 0 && namesScript(args[0])) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            return execute(withRun);
        }
        return execute(args);
    }

    /** A command name never ends in {@code .bus} or holds a {@code /}; a script's path may. */
    public static boolean namesScript(String arg) {
        return !arg.startsWith("-") && (arg.endsWith(".bus") || arg.contains("/"));
    }

    /** Runs one command line as it is. */
    public int execute(String... args) {
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return code;
    }

    public CommandLine commandLine() {
        return commandLine;
    }
}
