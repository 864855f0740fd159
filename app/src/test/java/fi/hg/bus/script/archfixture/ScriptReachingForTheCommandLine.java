package fi.hg.bus.script.archfixture;

/**
 * Breaks bus-script's rule on purpose (the .bus language using picocli, JLine and the CLI adapter),
 * so that ArchitectureTest can show the rule catches it. Lives in test sources only.
 */
public final class ScriptReachingForTheCommandLine {

    picocli.CommandLine commandLine;
    org.jline.reader.LineReader reader;
    fi.hg.bus.adapters.cli.Cli cli;
}
