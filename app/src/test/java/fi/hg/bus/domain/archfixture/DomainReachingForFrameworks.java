package fi.hg.bus.domain.archfixture;

/**
 * Breaks the domain's rules on purpose, so that ArchitectureTest can show its rules catch it. Lives
 * in test sources only, which the architecture rules do not import.
 */
public final class DomainReachingForFrameworks {

    java.sql.Connection connection;
    org.jooq.DSLContext dsl;
}
