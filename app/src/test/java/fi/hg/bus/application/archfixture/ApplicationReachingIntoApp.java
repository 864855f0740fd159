package fi.hg.bus.application.archfixture;

/** A use case reaching outward into the composition root, for ArchitectureTest. Test sources only. */
public final class ApplicationReachingIntoApp {

    fi.hg.bus.app.config.Env env;
    fi.hg.bus.adapters.http.Json json;
}
