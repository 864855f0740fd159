package fi.hg.bus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several replicas on one database share no memory, and idempotency still holds across them (SPEC 1, 3.1). */
class ReplicasTest {

    private static final int KEYS = 1000;
    private static final int SENDERS = 6;

    @Test
    void theSameKeysSentAtOnceThroughTwoReplicasAreStoredOnceEach() throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = a.replica()) {
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            try {
                List<Future<int[]>> results = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    TestServer via = s % 2 == 0 ? a : b;
                    long seed = s;
                    results.add(pool.submit(() -> sendEveryKeyInRandomBatches(via, new Random(seed))));
                }
                int accepted = 0;
                int duplicates = 0;
                for (Future<int[]> f : results) {
                    int[] r = f.get(60, TimeUnit.SECONDS);
                    accepted += r[0];
                    duplicates += r[1];
                }
                assertEquals(KEYS, accepted, "each key is accepted exactly once, whichever replica got it first");
                assertEquals(KEYS * (SENDERS - 1), duplicates, "and is a duplicate everywhere else");
            } finally {
                pool.shutdownNow();
            }
            JsonNode viaA = a.everything();
            JsonNode viaB = b.everything();
            assertEquals(viaA, viaB, "both replicas read the same feed");
            Set<String> keys = new HashSet<>();
            for (JsonNode item : viaA) {
                assertTrue(keys.add(item.get("event_id").asText()), "stored twice: " + item);
            }
            assertEquals(KEYS, keys.size());
        }
    }

    /** Sends every key once, shuffled, in batches of 1 to 20; returns {accepted, duplicates}. */
    private static int[] sendEveryKeyInRandomBatches(TestServer server, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            order.add(k);
        }
        Collections.shuffle(order, random);
        int accepted = 0;
        int duplicates = 0;
        int at = 0;
        while (at < order.size()) {
            int n = Math.min(1 + random.nextInt(250), order.size() - at);
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < n; i++) {
                int k = order.get(at + i);
                batch.append(i == 0 ? "" : ",").append("{\"event_type\":\"usage_recorded\",\"event_id\":\"key-")
                        .append(k).append("\",\"data\":{\"total_tokens\":").append(k).append("}}");
            }
            batch.append("]}");
            JsonNode answer = server.record(batch.toString());
            assertEquals(n, answer.get("accepted").asInt() + answer.get("duplicates").asInt());
            accepted += answer.get("accepted").asInt();
            duplicates += answer.get("duplicates").asInt();
            at += n;
        }
        return new int[]{accepted, duplicates};
    }
}
