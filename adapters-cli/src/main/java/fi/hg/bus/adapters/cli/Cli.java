package fi.hg.bus.adapters.cli;

import fi.hg.bus.adapters.cli.billing.BillingCommand;
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
import fi.hg.bus.adapters.cli.operator.billing.OperatorBillingCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Map;

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
        Map<String, String> environment = Map.copyOf(env);
        CommandLine root = new CommandLine(new BusCommand());
        CommandLine token = new CommandLine(new TokenCommand())
                .addSubcommand("issue", new IssueTokenCommand(signer));
        CommandLine catalog = new CommandLine(new CatalogCommand())
                .addSubcommand("template", new CatalogTemplateCommand())
                .addSubcommand("get", new CatalogGetCommand(environment))
                .addSubcommand("put", new CatalogPutCommand(environment));
        CommandLine billing = new CommandLine(new OperatorBillingCommand())
                .addSubcommand("status", new BillingStatusCommand(environment))
                .addSubcommand("catalog", catalog);
        CommandLine operator = new CommandLine(new OperatorCommand())
                .addSubcommand("token", token)
                .addSubcommand("billing", billing);
        root.addSubcommand("operator", operator);
        root.addSubcommand("billing", new CommandLine(new BillingCommand())
                .addSubcommand("setup", new BillingSetupCommand(environment))
                .addSubcommand("portal", new BillingPortalCommand(environment)));
        extra.forEach((name, command) -> {
            if (name.startsWith("operator ")) {
                operator.addSubcommand(name.substring("operator ".length()), command);
            } else {
                root.addSubcommand(name, command);
            }
        });
        root.setOut(out);
        root.setErr(err);
        root.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CommandFailed failed) {
                cmd.getErr().println("bus: " + failed.getMessage());
                return failed.exitCode();
            }
            cmd.getErr().println("bus: " + ex.getMessage());
            return ExitCodes.FAILURE;
        });
        root.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("bus: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return new Cli(root);
    }

    public int run(String... args) {
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return code;
    }

    public CommandLine commandLine() {
        return commandLine;
    }
}
