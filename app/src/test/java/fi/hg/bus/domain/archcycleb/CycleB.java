package fi.hg.bus.domain.archcycleb;

/** The other half of a package cycle, for ArchitectureTest. Test sources only. */
public final class CycleB {

    fi.hg.bus.domain.archcyclea.CycleA other;
}
