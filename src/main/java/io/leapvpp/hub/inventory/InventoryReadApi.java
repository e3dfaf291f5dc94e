package io.leapvpp.hub.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code GET /api/meters/{meter_id}} and {@code GET /api/meters?partner_reference=} (routes/34-inventory-read-api):
 * the inventory record with Leap's field names, plus the hub's own parts (gateways, market group history, sync
 * bookkeeping). The route template hub-api checks {@code x-api-key} and turns refusals into {@code {error, detail}}.
 */
public class InventoryReadApi {

    private static final int MAX_BY_REFERENCE = 100;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public InventoryReadApi(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** {@code GET /api/meters/{meter_id}} (route template hub-api). */
    public void meterById(Exchange exchange) {
        UUID id = MeterInventoryStore.uuid(InboundHttp.pathVariable(exchange, "meter_id"));
        if (id == null) {
            throw HttpRejection.badRequest("meter_id must be a UUID");
        }
        ObjectNode meter = load(id);
        if (meter == null) {
            throw HttpRejection.notFound("no meter " + id + " in the inventory");
        }
        HttpReplies.json(exchange, 200, meter.toString());
    }

    /** {@code GET /api/meters?partner_reference=} (route template hub-api). */
    public void metersByPartnerReference(Exchange exchange) {
        String reference = InboundHttp.queryParameters(exchange).get("partner_reference");
        if (reference == null || reference.isBlank()) {
            throw HttpRejection.badRequest("query parameter partner_reference is required");
        }
        List<UUID> ids = jdbc.queryForList("SELECT meter_id FROM meter_inventory WHERE partner_reference = ?"
                + " ORDER BY is_archived, created_at DESC NULLS LAST, meter_id LIMIT " + MAX_BY_REFERENCE, UUID.class, reference);
        if (ids.isEmpty()) {
            throw HttpRejection.notFound("no meter with partner_reference " + reference + " in the inventory");
        }
        ObjectNode body = mapper.createObjectNode();
        ArrayNode meters = body.putArray("meters");
        for (UUID id : ids) {
            ObjectNode m = load(id);
            if (m != null) {
                meters.add(m);
            }
        }
        HttpReplies.json(exchange, 200, body.toString());
    }

    /** The inventory record of one meter, or null. */
    public ObjectNode load(UUID id) {
        List<ObjectNode> rows = jdbc.query("""
                SELECT meter_id, partner_reference, transmission_region, customer_classification, load_types::text, meter_type,
                    connection_references::text, customer_group, tags::text, is_archived, created_by, created_at, leap_updated_at,
                    global_enrollment_status, last_synced_at, missing_since
                FROM meter_inventory WHERE meter_id = ?""", (rs, n) -> {
            ObjectNode m = mapper.createObjectNode();
            m.put("meter_id", rs.getObject(1).toString());
            put(m, "partner_reference", rs.getString(2));
            put(m, "transmission_region", rs.getString(3));
            put(m, "customer_classification", rs.getString(4));
            m.set("load_types", json(rs.getString(5)));
            put(m, "meter_type", rs.getString(6));
            m.set("connection_references", json(rs.getString(7)));
            put(m, "customer_group", rs.getString(8));
            m.set("tags", json(rs.getString(9)));
            m.put("is_archived", rs.getBoolean(10));
            ObjectNode audit = m.putObject("audit");
            put(audit, "created_by", rs.getString(11));
            put(audit, "created_at", rs.getTimestamp(12));
            put(audit, "updated_at", rs.getTimestamp(13));
            put(m, "global_enrollment_status", rs.getString(14));
            put(m, "last_synced_at", rs.getTimestamp(15));
            put(m, "missing_since", rs.getTimestamp(16));
            return m;
        }, id);
        if (rows.isEmpty()) {
            return null;
        }
        ObjectNode m = rows.get(0);
        ArrayNode prefs = m.putArray("participation_preferences");
        jdbc.query("SELECT participation_preference, start_time, end_time, reason FROM meter_participation_preference"
                + " WHERE meter_id = ? ORDER BY position", rs -> {
            ObjectNode p = prefs.addObject();
            put(p, "participation_preference", rs.getString(1));
            put(p, "start_time", rs.getTimestamp(2));
            put(p, "end_time", rs.getTimestamp(3));
            put(p, "reason", rs.getString(4));
        }, id);
        ArrayNode programs = m.putArray("program_enrollment");
        jdbc.query("SELECT program_identifier, delivery_period, delivery_period_start_date_time, delivery_period_end_date_time,"
                + " enrollment_status, enrollment_deadlines::text, market_group_id, market_group_name"
                + " FROM meter_program_enrollment WHERE meter_id = ? ORDER BY position", rs -> {
            ObjectNode p = programs.addObject();
            put(p, "program_identifier", rs.getString(1));
            put(p, "delivery_period", rs.getString(2));
            put(p, "delivery_period_start_date_time", rs.getTimestamp(3));
            put(p, "delivery_period_end_date_time", rs.getTimestamp(4));
            put(p, "enrollment_status", rs.getString(5));
            p.set("enrollment_deadlines", json(rs.getString(6)));
            Object g = rs.getObject(7);
            if (g != null) {
                p.put("market_group_id", g.toString());
            }
            put(p, "market_group_name", rs.getString(8));
        }, id);
        ObjectNode actions = m.putObject("required_actions");
        ArrayNode partner = actions.putArray("partner");
        ArrayNode leap = actions.putArray("leap");
        jdbc.query("SELECT party, program_identifier, delivery_period, enrollment_deadline_date_time, action_type,"
                + " action_description, action_code FROM meter_required_action WHERE meter_id = ? ORDER BY party, position", rs -> {
            ObjectNode a = ("leap".equals(rs.getString(1)) ? leap : partner).addObject();
            put(a, "program_identifier", rs.getString(2));
            put(a, "delivery_period", rs.getString(3));
            put(a, "enrollment_deadline_date_time", rs.getTimestamp(4));
            put(a, "action_type", rs.getString(5));
            put(a, "action_description", rs.getString(6));
            put(a, "action_code", rs.getString(7));
        }, id);
        ArrayNode groups = m.putArray("market_groups");
        ArrayNode history = m.putArray("market_group_history");
        jdbc.query("SELECT g.market_group_id, mg.market_group_name, g.valid_from, g.valid_to, g.joined_at, g.left_at"
                + " FROM market_group_member g JOIN market_group mg ON mg.market_group_id = g.market_group_id"
                + " WHERE g.meter_id = ? ORDER BY g.joined_at, g.id", rs -> {
            ObjectNode h = history.addObject();
            membership(h, rs);
            if (rs.getTimestamp(6) == null) {
                ObjectNode c = groups.addObject();
                membership(c, rs);
                c.remove("left_at");
            }
        }, id);
        ArrayNode gateways = m.putArray("gateways");
        jdbc.query("SELECT gateway_reference, source FROM meter_gateway WHERE meter_id = ? ORDER BY gateway_reference", rs -> {
            gateways.addObject().put("gateway_reference", rs.getString(1)).put("source", rs.getString(2));
        }, id);
        return m;
    }

    private static void membership(ObjectNode o, ResultSet rs) throws SQLException {
        o.put("market_group_id", rs.getObject(1).toString());
        put(o, "market_group_name", rs.getString(2));
        put(o, "valid_from", rs.getTimestamp(3));
        put(o, "valid_to", rs.getTimestamp(4));
        put(o, "joined_at", rs.getTimestamp(5));
        put(o, "left_at", rs.getTimestamp(6));
    }

    private JsonNode json(String s) {
        try {
            return s == null ? mapper.createArrayNode() : mapper.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return mapper.createArrayNode();
        }
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void put(ObjectNode o, String field, Timestamp value) {
        if (value != null) {
            o.put(field, value.toInstant().toString());
        }
    }
}
