package fi.hg.bus.application.testing;

import fi.hg.bus.application.storage.Transactions;

import java.util.function.Supplier;

/**
 * Runs each unit of work alone (one at a time), and counts them. Nested calls join the outer unit,
 * as the real store's do. There is no rollback: the use cases under test decide before they write.
 */
public final class InMemoryTransactions implements Transactions {

    private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
    private int count;

    @Override
    public synchronized <T> T inTransaction(Supplier<T> work) {
        if (inside.get()) {
            return work.get();
        }
        count++;
        inside.set(true);
        try {
            return work.get();
        } finally {
            inside.set(false);
        }
    }

    public synchronized int count() {
        return count;
    }
}
