package fi.hg.bus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The OpenAI-style balance endpoints {@code GET /v1/dashboard/billing/subscription} and
 * {@code /usage}, presented with {@code sk-} keys: 10 active accounts on a plan with day and
 * month quotas on {@code bus_llm_tokens}, 10 keys each (made through {@code POST /api/v1/keys}),
 * one usage record per key. The server runs with a rate limit so high that every request is
 * counted (one upsert per request) but none is refused.
 */
final class Dashboard {

    static final int ACCOUNTS = 10;
    static final int KEYS_PER_ACCOUNT = 10;
    static final String PLAN = "bench-dash";
    static final String FEATURE = "llm:proxy";
    static final String METER = "bus_llm_tokens";
    static final long DAY_LIMIT = 10_000_000;
    static final long MONTH_LIMIT = 100_000_000;
    static final long KEY_LIMIT = 1_000_000_000L;
    /** What the server is started with when this scenario runs: requests are counted, never refused. */
    static final String RATE_LIMIT = "100000000/min";
    static final String SUBSCRIPTION_PATH = "/v1/dashboard/billing/subscription";
    static final String USAGE_PATH = "/v1/dashboard/billing/usage";

    private static final PrintStream OUT = System.out;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] SUBSCRIPTION_MARK = "\"object\":\"billing_subscription\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIST_MARK = "\"object\":\"list\"".getBytes(StandardCharsets.US_ASCII);

    private final Options options;
    private final ServerProcess server;
    private final BenchDatabase db;
    private final byte[] secret;
    private final Transport admin;
    private final String tag;
    private final String[] accounts = new String[ACCOUNTS];
    private final List<Transport> keyed = new ArrayList<>();
    private final List<String> setupRemarks = new ArrayList<>();

    /** @param admin a transport whose token may write the catalog, subscription updates and usage */
    Dashboard(Options options, ServerProcess server, BenchDatabase db, byte[] secret, Transport admin, String tag) {
        this.options = options;
        this.server = server;
        this.db = db;
        this.secret = secret;
        this.admin = admin;
        this.tag = tag;
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = UUID.randomUUID().toString();
        }
    }

    private static String catalog() {
        return """
                {"products":[{"id":"llm","name":"LLM access"}],
                 "meters":[{"name":"%2$s","unit":"tokens"}],
                 "plans":[
                  {"id":"%3$s","name":"Bench Dashboard","product_id":"llm","features":["%1$s"],
                   "prices":[{"currency":"eur","unit_amount":1000,"interval":"month"}],
                   "quotas":[
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"day","limit":%4$d},
                    {"feature":"%1$s","meter_event_name":"%2$s","window":"month","limit":%5$d}]}]}
                """.formatted(FEATURE, METER, PLAN, DAY_LIMIT, MONTH_LIMIT);
    }

    private void setUp() throws Exception {
        long t0 = System.nanoTime();
        int keysMade = 0;
        try (Transport.Client http = admin.open()) {
            Transport.Answer a = http.send(admin.prepare("PUT", "/api/internal/billing/catalog",
                    catalog().getBytes(StandardCharsets.UTF_8)));
            require(a, "PUT catalog");
            for (int i = 0; i < ACCOUNTS; i++) {
                String body = "{\"event_id\":\"bench-" + tag + "-dash-sub-" + i + "\",\"account_id\":\"" + accounts[i]
                        + "\",\"provider\":\"local\",\"status\":\"active\",\"provider_customer_id\":\"cus_dash_" + i
                        + "\",\"provider_subscription_id\":\"sub_dash_" + i + "\",\"plan_id\":\"" + PLAN
                        + "\",\"features\":[\"" + FEATURE + "\"]}";
                a = http.send(admin.prepare("POST", "/api/internal/billing/subscription-updates",
                        body.getBytes(StandardCharsets.UTF_8)));
                require(a, "POST subscription-updates");
                if (!MAPPER.readTree(a.body()).path("applied").asBoolean()) {
                    throw new IllegalStateException("subscription update not applied: " + Load.snippet(a.body()));
                }
            }
            StringBuilder usage = new StringBuilder("{\"events\":[");
            String now = Instant.now().toString();
            for (int i = 0; i < ACCOUNTS; i++) {
                String user = Tokens.endUser(secret, accounts[i], "keys:write", Duration.ofHours(1));
                Transport asUser = Transport.of(options.client(), server.port(), user);
                try (Transport.Client userHttp = asUser.open()) {
                    for (int k = 0; k < KEYS_PER_ACCOUNT; k++) {
                        String body = "{\"name\":\"bench key " + i + "-" + k + "\",\"quota_limit\":" + KEY_LIMIT + "}";
                        Transport.Answer made = userHttp.send(asUser.prepare("POST", "/api/v1/keys",
                                body.getBytes(StandardCharsets.UTF_8)));
                        require(made, "POST /api/v1/keys");
                        JsonNode key = MAPPER.readTree(made.body());
                        String id = key.path("id").asText();
                        String sk = key.path("key").asText();
                        if (id.isEmpty() || !sk.startsWith("sk-")) {
                            throw new IllegalStateException("POST /api/v1/keys answered " + Load.snippet(made.body()));
                        }
                        keyed.add(Transport.of(options.client(), server.port(), sk));
                        if (keysMade++ > 0) {
                            usage.append(',');
                        }
                        usage.append("{\"event_type\":\"usage_recorded\",\"event_id\":\"bench-").append(tag)
                                .append("-dash-u-").append(keysMade).append("\",\"account_id\":\"").append(accounts[i])
                                .append("\",\"occurred_at\":\"").append(now)
                                .append("\",\"data\":{\"total_tokens\":").append(1000 * keysMade)
                                .append(",\"api_key_id\":\"").append(id).append("\"}}");
                    }
                }
            }
            usage.append("]}");
            a = http.send(admin.prepare("POST", "/api/internal/usage-events", usage.toString().getBytes(StandardCharsets.UTF_8)));
            require(a, "POST usage-events");
            long accepted = MAPPER.readTree(a.body()).path("accepted").asLong();
            if (accepted != keysMade) {
                throw new IllegalStateException("usage: accepted " + accepted + " of " + keysMade);
            }
        }
        server.requireAlive();
        double seconds = (System.nanoTime() - t0) / 1e9;
        OUT.printf(Locale.ROOT, "  set-up: catalog, %d accounts, %d keys, %d usage records in %.1f s%n",
                ACCOUNTS, keysMade, keysMade, seconds);
        setupRemarks.add(String.format(Locale.ROOT, "set-up: catalog, %d accounts activated, %d keys made through "
                + "POST /api/v1/keys, one usage record per key, in %s s", ACCOUNTS, keysMade, Result.num(seconds)));
    }

    private static void require(Transport.Answer a, String what) {
        if (a.status() != 200) {
            throw new IllegalStateException(what + " answered " + a.status() + ": " + Load.snippet(a.body()));
        }
    }

    Result scenario() throws Exception {
        int count = options.dashboardRequests();
        Result r = new Result("dashboard subscription + usage", options.dashboardClients() + " clients",
                Result.count(count) + " GETs, " + ACCOUNTS * KEYS_PER_ACCOUNT + " sk- keys", "requests/s", "request",
                new Result.Target(5_000, true, "≥ 5,000 requests/s"));
        OUT.println("bench: " + r.name + ", " + r.clients + ", " + r.work + ", " + options.repeats() + " runs");
        setUp();
        r.remarks.addAll(setupRemarks);
        for (int run = 0; run <= options.repeats(); run++) {
            boolean warmUp = run == 0;
            int n = warmUp ? Math.max(100, count / 2) : count;
            List<Transport.Prepared> requests = prepare(n);
            CpuMeter meter = new CpuMeter(server, db);
            meter.start();
            Load.Outcome o = Load.run(admin, requests, options.dashboardClients(), options.runLimit(),
                    (i, body) -> {
                        byte[] mark = i % 2 == 0 ? SUBSCRIPTION_MARK : LIST_MARK;
                        if (!contains(body, mark)) {
                            throw new IOException("unexpected answer: " + Load.snippet(body));
                        }
                        return 1;
                    });
            CpuMeter.Usage cpu = meter.stop();
            server.requireAlive();
            double rate = o.sent() / o.seconds();
            if (warmUp) {
                BusBench.progress("warm-up", o, rate, "requests/s", null);
                continue;
            }
            if (o.failed() > 0) {
                r.failures += o.failed();
                r.remarks.add(o.failed() + " requests failed, first: " + o.firstFailure());
            }
            if (o.accepted() != n) {
                r.failures++;
                r.remarks.add("answered as expected " + o.accepted() + " of " + n + " requests (time limit or failures)");
            }
            r.add(rate, rate, o.latencyMillis(0.5), o.latencyMillis(0.99), cpu);
            BusBench.progress("run " + run, o, rate, "requests/s", cpu);
        }
        return r;
    }

    /** Request i: subscription when i is even, usage when odd; key (i / 2) mod 100. */
    private List<Transport.Prepared> prepare(int n) {
        List<Transport.Prepared> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Transport t = keyed.get((i / 2) % keyed.size());
            requests.add(t.prepare("GET", i % 2 == 0 ? SUBSCRIPTION_PATH : USAGE_PATH, null));
        }
        return requests;
    }

    private static boolean contains(byte[] body, byte[] mark) {
        outer:
        for (int i = 0; i + mark.length <= body.length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (body[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
