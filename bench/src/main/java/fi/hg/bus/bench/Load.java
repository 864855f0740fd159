package fi.hg.bus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a fixed list of prepared requests with a fixed number of concurrent clients, each on its
 * own virtual thread, each waiting for its answer before it sends the next request (a closed
 * loop). Bounded by the number of requests and by a time limit.
 */
final class Load {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What one run did. */
    record Outcome(int sent, int failed, String firstFailure, long elapsedNanos, long accepted, long[] latencyNanos) {

        double seconds() {
            return elapsedNanos / 1e9;
        }

        /** The {@code q}-quantile of the request latencies, in milliseconds. */
        double latencyMillis(double q) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
            return sorted[i] / 1e6;
        }
    }

    /**
     * Reads the 200 answer to request {@code index}: answers what it counts (records accepted,
     * checks answered as expected), or throws with what is wrong with it.
     */
    @FunctionalInterface
    interface Reader {
        long read(int index, byte[] body) throws IOException;
    }

    /** Usage recording: the answer's {@code accepted} count. */
    static final Reader ACCEPTED = (index, body) -> MAPPER.readTree(body).path("accepted").asLong();

    private Load() {
    }

    /**
     * Posts every request of {@code requests} once, with {@code clients} concurrent clients. Each
     * answer must be 200 {@code {"accepted":N,…}}; the accepted counts are added up.
     */
    static Outcome run(Transport transport, List<Transport.Prepared> requests, int clients, Duration limit)
            throws InterruptedException {
        return run(transport, requests, clients, limit, ACCEPTED);
    }

    /**
     * Sends every request of {@code requests} once, with {@code clients} concurrent clients. Each
     * answer must be 200 and pass {@code reader}; what the reader counts is added up.
     */
    static Outcome run(Transport transport, List<Transport.Prepared> requests, int clients, Duration limit,
                       Reader reader) throws InterruptedException {
        return run(transport, requests, clients, limit, reader, 0);
    }

    /**
     * Like {@link #run(Transport, List, int, Duration, Reader)}, but when {@code perSecond} is
     * positive the requests are sent on a schedule instead of as fast as answers come: request
     * {@code i} is due {@code i / perSecond} seconds after the start, and the next free client
     * sends it when it is due (an open loop, as long as a client is free). Its latency counts from
     * when it was due, not from when it was sent, so that a slow answer that holds up the requests
     * behind it counts against them too (no coordinated omission). Paced clients are platform
     * threads, whose sleeps end closer to when they are due than virtual threads' do.
     */
    static Outcome run(Transport transport, List<Transport.Prepared> requests, int clients, Duration limit,
                       Reader reader, double perSecond) throws InterruptedException {
        boolean paced = perSecond > 0;
        double interval = paced ? 1e9 / perSecond : 0;
        int n = requests.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long[] latency = new long[n];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        try (ExecutorService threads = paced ? Executors.newFixedThreadPool(clients)
                : Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?>[] workers = new Future<?>[clients];
            for (int c = 0; c < clients; c++) {
                workers[c] = threads.submit(() -> {
                    try (Transport.Client http = transport.open()) {
                        while (System.nanoTime() < deadline) {
                            int i = next.getAndIncrement();
                            if (i >= n) {
                                break;
                            }
                            long t0;
                            if (paced) {
                                t0 = start + (long) (i * interval);
                                for (long wait = t0 - System.nanoTime(); wait > 0; wait = t0 - System.nanoTime()) {
                                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                                }
                            } else {
                                t0 = System.nanoTime();
                            }
                            try {
                                Transport.Answer res = http.send(requests.get(i));
                                latency[i] = System.nanoTime() - t0;
                                if (res.status() != 200) {
                                    fail(failed, firstFailure, "HTTP " + res.status() + ": " + snippet(res.body()));
                                } else {
                                    accepted.addAndGet(reader.read(i, res.body()));
                                }
                            } catch (IOException | RuntimeException e) {
                                latency[i] = System.nanoTime() - t0;
                                fail(failed, firstFailure, e.toString());
                            } finally {
                                done.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        int sent = done.get();
        return new Outcome(sent, failed.get(), firstFailure.get(), elapsed, accepted.get(),
                Arrays.copyOf(latency, Math.min(sent, n)));
    }

    private static void fail(AtomicInteger failed, AtomicReference<String> first, String what) {
        failed.incrementAndGet();
        first.compareAndSet(null, what);
    }

    static String snippet(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
