package fi.hg.bus.adapters.http.archfixture;

/** An adapter importing another adapter, for ArchitectureTest to show that it is caught. Test sources only. */
public final class HttpReachingIntoPersistence {

    fi.hg.bus.adapters.persistence.store.DatabaseUrl url;
}
