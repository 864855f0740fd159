package fi.hg.bus.adapters.provider.local;

import fi.hg.bus.application.export.UsageExporter;
import fi.hg.bus.domain.export.UsageExport;

/** The local provider takes every export at once; the portal page lists them. */
public final class LocalUsageExporter implements UsageExporter {

    @Override
    public String provider() {
        return LocalPaymentProvider.NAME;
    }

    @Override
    public Outcome export(UsageExport export) {
        return new Outcome.Accepted();
    }
}
