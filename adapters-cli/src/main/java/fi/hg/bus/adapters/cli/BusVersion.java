package fi.hg.bus.adapters.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest at build time. */
public final class BusVersion implements IVersionProvider {

    public static String version() {
        String v = BusVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"bus " + version()};
    }
}
