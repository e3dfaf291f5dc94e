package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.dispatch.DispatchNotification.Dispatch;
import io.leapvpp.hub.dispatch.DispatchNotification.Timeslot;
import io.leapvpp.hub.operations.HttpRejection;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Validates a dispatch notification against Leap's schema (required fields, types, ranges, UUIDs,
 * date-times; unknown fields tolerated) and maps it. A violation is an {@link HttpRejection} 400
 * whose detail names the field, e.g. {@code meter_dispatches[0].timeslots[1].priority: must be an
 * integer from 1 to 10}.
 */
@Component
public class DispatchNotificationParser {

    private static final BigDecimal KW_MIN = new BigDecimal("0.01");
    private static final BigDecimal KW_MAX = new BigDecimal("100000");
    static final int MAX_METERS_PER_GROUP = 100_000;

    private final ObjectMapper json;

    public DispatchNotificationParser(ObjectMapper json) {
        this.json = json;
    }

    /** A webhook body. */
    public DispatchNotification parse(DispatchKind kind, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw HttpRejection.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw HttpRejection.badRequest("body: must be a JSON object");
        }
        boolean integrationTest = optionalBoolean(root, "integration_test_notification", "");
        boolean communicationTest = optionalBoolean(root, "communication_test", "");
        JsonNode list = root.get(kind.listField());
        if (list == null || list.isNull()) {
            throw missing(kind.listField());
        }
        if (!list.isArray()) {
            throw invalid(kind.listField(), "must be an array");
        }
        List<Dispatch> dispatches = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            dispatches.add(dispatch(kind, list.get(i), kind.listField() + "[" + i + "]"));
        }
        return new DispatchNotification(kind, integrationTest, communicationTest, List.copyOf(dispatches), body);
    }

    /** One search result of searchMeterDispatches / searchGroupDispatches (same shape as a notification entry). */
    public Dispatch parseSearchResult(DispatchKind kind, JsonNode item, String path) {
        return dispatch(kind, item, path);
    }

    private Dispatch dispatch(DispatchKind kind, JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, "must be an object");
        }
        UUID meterId = null;
        String partnerReference = null;
        UUID groupId = null;
        List<UUID> meterIds = List.of();
        List<String> partnerReferences = List.of();
        if (kind == DispatchKind.METER) {
            meterId = requiredUuid(node, "meter_id", path);
            partnerReference = optionalString(node, "partner_reference", path, 256);
        } else {
            groupId = requiredUuid(node, "market_group_id", path);
            JsonNode ids = required(node, "meter_ids", path);
            if (!ids.isArray()) {
                throw invalid(path + ".meter_ids", "must be an array of UUIDs");
            }
            if (ids.size() > MAX_METERS_PER_GROUP) {
                throw invalid(path + ".meter_ids", "more than " + MAX_METERS_PER_GROUP + " meters");
            }
            List<UUID> list = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                list.add(uuid(ids.get(i), path + ".meter_ids[" + i + "]"));
            }
            meterIds = List.copyOf(list);
            JsonNode refs = node.get("partner_references");
            if (refs != null && !refs.isNull()) {
                if (!refs.isArray()) {
                    throw invalid(path + ".partner_references", "must be an array of strings");
                }
                List<String> r = new ArrayList<>(refs.size());
                for (int i = 0; i < refs.size(); i++) {
                    JsonNode ref = refs.get(i);
                    if (ref.isNull()) {
                        r.add(null);
                    } else if (!ref.isTextual() || ref.asText().length() > 256) {
                        throw invalid(path + ".partner_references[" + i + "]", "must be a string of at most 256 characters");
                    } else {
                        r.add(ref.asText());
                    }
                }
                partnerReferences = java.util.Collections.unmodifiableList(r);
            }
        }
        JsonNode slots = required(node, "timeslots", path);
        if (!slots.isArray()) {
            throw invalid(path + ".timeslots", "must be an array");
        }
        List<Timeslot> timeslots = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            timeslots.add(timeslot(kind, slots.get(i), path + ".timeslots[" + i + "]"));
        }
        return new Dispatch(meterId, partnerReference, groupId, meterIds, partnerReferences, List.copyOf(timeslots));
    }

    private Timeslot timeslot(DispatchKind kind, JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, "must be an object");
        }
        UUID eventId = requiredUuid(node, kind.eventIdField(), path);
        Instant start = requiredTime(node, "start_time", path);
        Instant end = requiredTime(node, "end_time", path);
        if (!end.isAfter(start)) {
            throw invalid(path + ".end_time", "must be after start_time");
        }
        boolean cancelled = requiredBoolean(node, "cancelled", path);
        BigDecimal energy = kw(node, "energy_kw", path);
        BigDecimal nomination = kw(node, "nomination_kw", path);
        JsonNode p = required(node, "priority", path);
        if (!p.isIntegralNumber() || !p.canConvertToInt() || p.asInt() < 1 || p.asInt() > 10) {
            throw invalid(path + ".priority", "must be an integer from 1 to 10");
        }
        boolean voluntary = requiredBoolean(node, "is_voluntary", path);
        JsonNode cap = required(node, "performance_compensation_cap", path);
        if (!cap.isTextual() || cap.asText().isBlank() || cap.asText().length() > 40) {
            throw invalid(path + ".performance_compensation_cap", "must be a non-empty string of at most 40 characters");
        }
        List<String> types = strings(node, "dispatch_event_types", path);
        List<String> programs = strings(node, "programs", path);
        boolean communicationTest = optionalBoolean(node, "communication_test", path)
                || optionalBoolean(node, "is_communication_test", path);
        return new Timeslot(eventId, start, end, cancelled, energy, nomination, p.asInt(), voluntary, cap.asText(),
                types, programs, communicationTest, (ObjectNode) node);
    }

    private static JsonNode required(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw missing(join(path, field));
        }
        return v;
    }

    private static UUID requiredUuid(JsonNode node, String field, String path) {
        return uuid(required(node, field, path), join(path, field));
    }

    private static UUID uuid(JsonNode v, String where) {
        if (v == null || !v.isTextual() || !isUuid(v.asText())) {
            throw invalid(where, "must be a UUID");
        }
        return UUID.fromString(v.asText());
    }

    /**
     * 8-4-4-4-12 hex digits, either case. Checked by hand: a notification carries a UUID per meter and timeslot (a
     * group's meter_ids by the thousand), and the regular expression was 5 % of the hub's CPU at full webhook load.
     */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Instant requiredTime(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isTextual()) {
            throw invalid(join(path, field), "must be an ISO-8601 date-time with offset");
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(join(path, field), "must be an ISO-8601 date-time with offset, got \"" + abbreviate(v.asText()) + "\"");
        }
    }

    private static boolean requiredBoolean(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isBoolean()) {
            throw invalid(join(path, field), "must be true or false");
        }
        return v.booleanValue();
    }

    private static boolean optionalBoolean(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw invalid(join(path, field), "must be true or false");
        }
        return v.booleanValue();
    }

    private static String optionalString(JsonNode node, String field, String path, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > maxLength) {
            throw invalid(join(path, field), "must be a string of at most " + maxLength + " characters");
        }
        return v.asText().isBlank() ? null : v.asText();
    }

    private static BigDecimal kw(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw invalid(join(path, field), "must be a number from 0.01 to 100000, or null");
        }
        BigDecimal kw = v.decimalValue();
        if (kw.compareTo(KW_MIN) < 0 || kw.compareTo(KW_MAX) > 0) {
            throw invalid(join(path, field), "must be a number from 0.01 to 100000, or null; got " + kw.toPlainString());
        }
        return kw;
    }

    private static List<String> strings(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isArray()) {
            throw invalid(join(path, field), "must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode s = v.get(i);
            if (!s.isTextual() || s.asText().length() > 100) {
                throw invalid(join(path, field) + "[" + i + "]", "must be a string of at most 100 characters");
            }
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    static ArrayNode toArray(ObjectMapper json, List<String> values) {
        ArrayNode a = json.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static String join(String path, String field) {
        return path == null || path.isEmpty() ? field : path + "." + field;
    }

    private static HttpRejection missing(String where) {
        return HttpRejection.badRequest(where + ": required field is missing");
    }

    private static HttpRejection invalid(String where, String problem) {
        return HttpRejection.badRequest(where + ": " + problem);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
