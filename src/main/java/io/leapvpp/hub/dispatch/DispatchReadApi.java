package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The dispatch read API (routes/24-dispatch-read-api.camel.yaml) for operators and partner systems:
 * one event with its version history, the commands written for it (status, publish count, sent and
 * acked times, from the device side's columns) and the acks received; or a bounded list of events
 * by meter and time window, newest first.
 */
@Component("dispatchReadApi")
public class DispatchReadApi {

    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Set<String> JSON_COLUMNS = Set.of("dispatch_event_types", "programs", "unresolved_meter_ids",
            "meter_ids", "timeslot", "payload", "raw");
    private static final Set<String> LIST_PARAMETERS = Set.of("meter_id", "from", "to", "limit");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public DispatchReadApi(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** GET /api/dispatch/events/{event_id}. */
    public void event(Exchange exchange) {
        UUID eventId = uuid(InboundHttp.pathVariable(exchange, "event_id"), "event_id");
        List<ObjectNode> events = jdbc.query("SELECT * FROM dispatch_event WHERE event_id = ?", (rs, i) -> row(rs), eventId);
        if (events.isEmpty()) {
            throw HttpRejection.notFound("no dispatch event " + eventId);
        }
        ObjectNode event = events.get(0);
        ArrayNode versions = event.putArray("versions");
        jdbc.query("""
                SELECT version, source, notification_id, received_at, timeslot FROM dispatch_event_version
                WHERE event_id = ? ORDER BY version""", (rs, i) -> versions.add(row(rs)), eventId);
        ArrayNode commands = event.putArray("commands");
        jdbc.query("""
                SELECT c.command_id, c.event_version, c.meter_id, c.partner_reference, c.action, m.topic, c.status, c.publish_count,
                       c.expires_at, c.created_at, c.sent_at, c.acked_at, c.last_error, m.payload
                FROM device_command c JOIN device_command_message m ON m.id = c.id
                WHERE c.event_id = ? ORDER BY c.created_at, c.command_id""", (rs, i) -> commands.add(row(rs)), eventId);
        ArrayNode acks = event.putArray("acks");
        jdbc.query("""
                SELECT a.command_id, a.status, a.reason, a.at, a.received_at FROM device_ack a
                JOIN device_command c ON c.command_id = a.command_id
                WHERE c.event_id = ? ORDER BY a.received_at, a.id""", (rs, i) -> acks.add(row(rs)), eventId);
        HttpReplies.json(exchange, 200, event.toString());
    }

    /** GET /api/dispatch/events?meter_id=&from=&to=&limit= (the query as captured by InboundHttp). */
    public void list(Exchange exchange) {
        Map<String, String> q = InboundHttp.queryParameters(exchange);
        for (String name : q.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw HttpRejection.badRequest(name + ": unknown parameter (meter_id, from, to, limit)");
            }
        }
        UUID meterId = q.containsKey("meter_id") ? uuid(q.get("meter_id"), "meter_id") : null;
        Instant from = q.containsKey("from") ? time(q.get("from"), "from") : null;
        Instant to = q.containsKey("to") ? time(q.get("to"), "to") : null;
        if (from != null && to != null && !to.isAfter(from)) {
            throw HttpRejection.badRequest("to: must be after from");
        }
        int limit = DEFAULT_LIMIT;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw HttpRejection.badRequest("limit: must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, kind, meter_id, market_group_id, partner_reference, start_time, end_time, cancelled,
                       energy_kw, priority, is_voluntary, test, version, state, note, updated_at
                FROM dispatch_event e WHERE true""");
        List<Object> args = new ArrayList<>();
        if (meterId != null) {
            sql.append(" AND (e.meter_id = ? OR e.meter_ids @> jsonb_build_array(?::text))");
            args.add(meterId);
            args.add(meterId.toString());
        }
        if (from != null) {
            sql.append(" AND e.end_time > ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND e.start_time < ?");
            args.add(Timestamp.from(to));
        }
        sql.append(" ORDER BY e.start_time DESC, e.event_id LIMIT ?");
        args.add(limit);
        ArrayNode events = json.createArrayNode();
        jdbc.query(sql.toString(), (rs, i) -> events.add(row(rs)), args.toArray());
        ObjectNode answer = json.createObjectNode();
        answer.put("count", events.size());
        answer.put("limit", limit);
        answer.set("events", events);
        HttpReplies.json(exchange, 200, answer.toString());
    }

    private ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode o = json.createObjectNode();
        ResultSetMetaData md = rs.getMetaData();
        for (int c = 1; c <= md.getColumnCount(); c++) {
            String name = md.getColumnLabel(c);
            if (name.equals("content_hash")) {
                continue;
            }
            Object v = rs.getObject(c);
            if (v == null) {
                o.putNull(name);
            } else if (JSON_COLUMNS.contains(name)) {
                try {
                    o.set(name, json.readTree(rs.getString(c)));
                } catch (Exception e) {
                    o.put(name, rs.getString(c));
                }
            } else if (v instanceof Timestamp t) {
                o.put(name, t.toInstant().toString());
            } else if (v instanceof java.math.BigDecimal d) {
                o.put(name, d.stripTrailingZeros().scale() < 0 ? d.setScale(0) : d.stripTrailingZeros()); // 80, not 8E+1
            } else if (v instanceof Boolean b) {
                o.put(name, b);
            } else if (v instanceof Integer n) {
                o.put(name, n);
            } else if (v instanceof Long n) {
                o.put(name, n);
            } else {
                o.put(name, v.toString());
            }
        }
        return o;
    }

    private static UUID uuid(String text, String name) {
        if (text == null || !UUID_PATTERN.matcher(text).matches()) {
            throw HttpRejection.badRequest(name + ": must be a UUID");
        }
        return UUID.fromString(text);
    }

    private static Instant time(String text, String name) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpRejection.badRequest(name + ": must be an ISO-8601 date-time with offset, e.g. 2025-06-01T00:00:00Z");
        }
    }

}
