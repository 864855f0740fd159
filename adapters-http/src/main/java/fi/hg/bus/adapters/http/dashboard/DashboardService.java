package fi.hg.bus.adapters.http.dashboard;

import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.application.dashboard.ReadKeyBalance;
import fi.hg.bus.application.storage.StorageProbe;
import fi.hg.bus.application.storage.StorageUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenAI-compatible dashboard billing endpoints, for balance checkers and chat front ends:
 * {@code GET /v1/dashboard/billing/subscription} and {@code …/usage} (and the same under
 * {@code /dashboard/billing/}), authenticated by an {@code sk-} key. Errors keep the types of the
 * seed: 401 and 429 {@code buzz_error}; 500 {@code upstream_error} (subscription) or
 * {@code buzz_error} (usage) when the key's state cannot be loaded. Query parameters (OpenAI's
 * date range) are ignored.
 */
public final class DashboardService implements HttpService {

    public static final List<String> SUBSCRIPTION = List.of("/v1/dashboard/billing/subscription", "/dashboard/billing/subscription");
    public static final List<String> USAGE = List.of("/v1/dashboard/billing/usage", "/dashboard/billing/usage");

    private static final Logger LOG = Logger.getLogger(DashboardService.class.getName());
    private static final String BUZZ_ERROR = "buzz_error";
    private static final String UPSTREAM_ERROR = "upstream_error";
    private static final String BEARER = "bearer ";

    private final Function<String, ReadKeyBalance.Result> readBalance;
    private final Clock clock;

    private DashboardService(Function<String, ReadKeyBalance.Result> readBalance, Clock clock) {
        this.readBalance = readBalance;
        this.clock = clock;
    }

    public DashboardService(ReadKeyBalance readBalance, Clock clock) {
        this(readBalance::read, clock);
    }

    /** The endpoints of a server that has no store at all: every request answers 500 with the reason. */
    public static DashboardService withoutStorage(StorageProbe probe, Clock clock) {
        return new DashboardService(credential -> {
            probe.check();
            throw new StorageUnavailableException("usage storage is unavailable");
        }, clock);
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : SUBSCRIPTION) {
            rules.get(path, this::subscription);
            HttpApi.onlyMethods(rules, path, "GET");
        }
        for (String path : USAGE) {
            rules.get(path, this::usage);
            HttpApi.onlyMethods(rules, path, "GET");
        }
    }

    private void subscription(ServerRequest req, ServerResponse res) {
        ReadKeyBalance.Result.Figures figures = figures(req, res, UPSTREAM_ERROR);
        if (figures == null) {
            return;
        }
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "billing_subscription");
            g.writeBooleanField("has_payment_method", true);
            g.writeFieldName("soft_limit_usd");
            number(g, figures.softLimit());
            g.writeFieldName("hard_limit_usd");
            number(g, figures.softLimit());
            g.writeFieldName("system_hard_limit_usd");
            number(g, figures.softLimit());
            g.writeNumberField("access_until", figures.accessUntil());
            g.writeEndObject();
        }));
    }

    private void usage(ServerRequest req, ServerResponse res) {
        ReadKeyBalance.Result.Figures figures = figures(req, res, BUZZ_ERROR);
        if (figures == null) {
            return;
        }
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeFieldName("total_usage");
            number(g, figures.totalUsage());
            g.writeEndObject();
        }));
    }

    /** The figures, or null when an error was answered. */
    private ReadKeyBalance.Result.Figures figures(ServerRequest req, ServerResponse res, String failureType) {
        List<String> values = req.headers().values(HeaderNames.AUTHORIZATION);
        if (values.size() > 1) {
            error(res, 401, BUZZ_ERROR, "more than one Authorization header");
            return null;
        }
        String credential = values.isEmpty() ? null : credential(values.getFirst());
        ReadKeyBalance.Result result;
        try {
            result = readBalance.apply(credential);
        } catch (StorageUnavailableException e) {
            error(res, 500, failureType, "failed to load the key's quota: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "loading the key's quota failed for " + req.path().path(), e);
            error(res, 500, failureType, "failed to load the key's quota");
            return null;
        }
        switch (result) {
            case ReadKeyBalance.Result.Figures f -> {
                return f;
            }
            case ReadKeyBalance.Result.Unauthorized u -> error(res, 401, BUZZ_ERROR, u.reason());
            case ReadKeyBalance.Result.RateLimited r -> {
                long seconds = Math.max(1, (Duration.between(clock.instant(), r.retryAt()).toMillis() + 999) / 1000);
                res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
                error(res, 429, BUZZ_ERROR, "rate limit reached: at most " + r.limit() + " per key; try again in "
                        + seconds + " s");
            }
        }
        return null;
    }

    /** What follows {@code Bearer } in an Authorization header; empty when the scheme is another. */
    private static String credential(String header) {
        String value = header.strip();
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return "";
        }
        return value.substring(BEARER.length()).strip();
    }

    private static void number(com.fasterxml.jackson.core.JsonGenerator g, BigDecimal value) throws java.io.IOException {
        g.writeNumber(value.toPlainString());
    }

    private static void error(ServerResponse res, int status, String type, String message) {
        HttpApi.json(res, status, Json.error(type, message));
    }
}
