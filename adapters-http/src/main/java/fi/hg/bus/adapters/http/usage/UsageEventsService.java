package fi.hg.bus.adapters.http.usage;

import fi.hg.bus.adapters.http.metrics.ServerMetrics;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.hg.bus.adapters.http.ApiError;
import fi.hg.bus.adapters.http.Bodies;
import fi.hg.bus.adapters.http.Fields;
import fi.hg.bus.adapters.http.HttpApi;
import fi.hg.bus.adapters.http.Json;
import fi.hg.bus.adapters.http.Rfc3339;
import fi.hg.bus.adapters.http.auth.BearerAuth;
import fi.hg.bus.application.usage.DeleteCollectedUsage;
import fi.hg.bus.application.usage.ReadUsageFeed;
import fi.hg.bus.application.usage.RecordUsage;
import fi.hg.bus.domain.auth.Audience;
import fi.hg.bus.domain.usage.FeedPage;
import fi.hg.bus.domain.usage.StoredUsageEvent;
import fi.hg.bus.domain.usage.UsageBatch;
import fi.hg.bus.domain.usage.UsageData;
import fi.hg.bus.domain.usage.UsageEventType;
import fi.hg.bus.domain.usage.UsageRecord;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The internal usage-events API: services record usage ({@code POST}); trusted collectors read
 * ({@code GET}) and delete ({@code DELETE}) pages of the feed.
 */
public final class UsageEventsService implements HttpService {

    public static final String PATH = "/api/internal/usage-events";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final long MAX_PAGE = 1_000_000_000_000L;
    private static final Set<String> RECORD_KEYS = Set.of("event_type", "event_id", "account_id", "occurred_at", "data");

    private final BearerAuth auth;
    private final ServerMetrics metrics;
    private final RecordUsage recordUsage;
    private final ReadUsageFeed readFeed;
    private final DeleteCollectedUsage deleteCollected;

    public UsageEventsService(BearerAuth auth, ServerMetrics metrics, RecordUsage recordUsage, ReadUsageFeed readFeed,
                              DeleteCollectedUsage deleteCollected) {
        this.auth = auth;
        this.metrics = metrics;
        this.recordUsage = recordUsage;
        this.readFeed = readFeed;
        this.deleteCollected = deleteCollected;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::record)
                .get(PATH, this::list)
                .delete(PATH, this::delete);
        HttpApi.onlyMethods(rules, PATH, "GET", "POST", "DELETE");
    }

    private void record(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "usage:write");
        ObjectNode body = Json.parseObject(Bodies.json(req, Bodies.USAGE_LIMIT));
        List<RecordUsage.Submitted> records = parseRecords(body);
        RecordUsage.Recorded recorded = recordUsage.record(new RecordUsage.Command(records));
        metrics.usageRecorded(recorded.accepted(), recorded.duplicates());
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("accepted", recorded.accepted());
            g.writeNumberField("duplicates", recorded.duplicates());
            g.writeEndObject();
        }));
    }

    private void list(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "usage:read");
        FeedPage page = readFeed.read(query(req));
        HttpApi.json(res, 200, Json.write(g -> writePage(g, page)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        auth.require(req, Audience.INTERNAL, "usage:delete");
        int deleted = deleteCollected.delete(query(req));
        HttpApi.json(res, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("deleted", deleted);
            g.writeEndObject();
        }));
    }

    static List<RecordUsage.Submitted> parseRecords(ObjectNode body) {
        if (!body.has("events")) {
            return List.of(parseRecord(body, ""));
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("events")) {
                throw ApiError.badRequest(name + ": unknown field; a batch holds only \"events\"");
            }
        }
        JsonNode events = body.get("events");
        if (!events.isArray()) {
            throw ApiError.badRequest("events: must be an array of usage records");
        }
        if (events.isEmpty()) {
            throw ApiError.badRequest("events: must hold at least one usage record");
        }
        if (events.size() > UsageBatch.MAX_RECORDS) {
            throw ApiError.badRequest("events: holds " + events.size() + " records; at most "
                    + UsageBatch.MAX_RECORDS + " are accepted in one request");
        }
        List<RecordUsage.Submitted> records = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            String at = "events[" + i + "].";
            JsonNode event = events.get(i);
            if (!(event instanceof ObjectNode object)) {
                throw ApiError.badRequest("events[" + i + "]: must be a JSON object");
            }
            records.add(parseRecord(object, at));
        }
        return records;
    }

    private static RecordUsage.Submitted parseRecord(ObjectNode node, String at) {
        Fields.onlyKeys(node, at, RECORD_KEYS);
        String typeText = Fields.text(node, at, "event_type", true);
        UsageEventType type = UsageEventType.fromWireName(typeText)
                .orElseThrow(() -> ApiError.badRequest(at + "event_type: unknown event type \"" + Fields.printable(typeText) + "\""));
        String eventId = Fields.text(node, at, "event_id", false);
        if (eventId != null) {
            try {
                UsageRecord.checkEventId(eventId);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(at + e.getMessage());
            }
        }
        UUID accountId = Fields.uuid(node, at, "account_id", false);
        String occurredText = Fields.text(node, at, "occurred_at", false);
        Instant occurredAt = null;
        if (occurredText != null) {
            try {
                occurredAt = Rfc3339.parse(occurredText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(at + "occurred_at: " + e.getMessage());
            }
        }
        JsonNode data = Fields.object(node, at, "data", false);
        UsageData usageData = data == null ? null : usageData(data);
        if (usageData != null && !UsageRecord.isUnicode(usageData.json())) {
            throw ApiError.badRequest(at + "data: holds text that is not valid Unicode (an unpaired surrogate)");
        }
        return new RecordUsage.Submitted(eventId, type, accountId, occurredAt, usageData);
    }

    /** The data with its numbers and texts indexed by dotted path, three levels deep, for the export policy. */
    static UsageData usageData(JsonNode data) {
        Map<String, BigDecimal> numbers = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        index(data, "", 0, numbers, texts);
        return new UsageData(Json.compact(data), numbers, texts);
    }

    private static void index(JsonNode node, String prefix, int depth, Map<String, BigDecimal> numbers, Map<String, String> texts) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                numbers.put(path, v.decimalValue());
            } else if (v.isTextual()) {
                texts.put(path, v.asText());
            } else if (v.isObject() && depth < 2) {
                index(v, path + ".", depth + 1, numbers, texts);
            }
        }
    }

    static ReadUsageFeed.Query query(ServerRequest req) {
        var query = req.query();
        Instant before = null;
        String beforeText = single(query, "before");
        if (beforeText != null) {
            try {
                before = Rfc3339.parse(beforeText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("before: " + e.getMessage());
            }
        }
        Long page = positive(single(query, "page"), "page");
        if (page != null && page > MAX_PAGE) {
            throw ApiError.badRequest("page: is out of range");
        }
        Long pageSize = positive(single(query, "page_size"), "page_size");
        return new ReadUsageFeed.Query(before, page, pageSize);
    }

    private static String single(io.helidon.common.uri.UriQuery query, String name) {
        if (!query.contains(name)) {
            return null;
        }
        List<String> values = query.all(name);
        if (values.size() != 1) {
            throw ApiError.badRequest(name + ": must be given once");
        }
        return values.getFirst();
    }

    private static Long positive(String text, String name) {
        if (text == null) {
            return null;
        }
        if (!DIGITS.matcher(text).matches()) {
            throw ApiError.badRequest(name + ": must be a positive integer");
        }
        long value = Long.parseLong(text);
        if (value < 1) {
            throw ApiError.badRequest(name + ": must be at least 1");
        }
        return value;
    }

    private static void writePage(JsonGenerator g, FeedPage page) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("items");
        for (StoredUsageEvent e : page.items()) {
            g.writeStartObject();
            g.writeNumberField("id", e.id());
            if (e.eventId() != null) {
                g.writeStringField("event_id", e.eventId());
            }
            g.writeStringField("occurred_at", e.occurredAt().toString());
            if (e.accountId() != null) {
                g.writeStringField("account_id", e.accountId().toString());
            }
            g.writeStringField("event_type", e.type().wireName());
            if (e.dataJson() != null) {
                g.writeFieldName("data");
                g.writeRawValue(e.dataJson());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("page", page.selector().page());
        g.writeNumberField("page_size", page.selector().pageSize());
        g.writeStringField("before", page.selector().before().toString());
        g.writeBooleanField("has_more", page.hasMore());
        g.writeEndObject();
    }
}
