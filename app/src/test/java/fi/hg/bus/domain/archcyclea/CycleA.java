package fi.hg.bus.domain.archcyclea;

/** One half of a package cycle, for ArchitectureTest to show that cycles are caught. Test sources only. */
public final class CycleA {

    fi.hg.bus.domain.archcycleb.CycleB other;
}
