package io.leapvpp.hub.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes Leap's MeterEnrollmentResponse objects into the inventory tables, one page per call, with a fixed number
 * of set-based statements per page (the page travels as one JSON parameter through {@code jsonb_to_recordset}),
 * so the cost does not grow with round trips per row and memory is bounded by the page.
 * <p>
 * Must run inside a transaction (the caller's): existing rows of the page are locked first, so concurrent writers
 * (an event and a sync) serialise per meter, and data older than what the hub has ({@code audit.updated_at}) is
 * never written. Changes of known meters that matter to operations become rows of {@code inventory_event}.
 */
public class MeterInventoryStore {

    public static final String INELIGIBLE = "INELIGIBLE";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public MeterInventoryStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Who is writing: the sync run (kind and id) or a platform event (webhook_event_id). */
    public record WriteContext(String source, Long runId, String webhookEventId, Map<UUID, Validity> groupValidity) {
        public static WriteContext sync(String kind, long runId) {
            return new WriteContext(kind, runId, null, Map.of());
        }

        public static WriteContext event(String webhookEventId) {
            return new WriteContext("EVENT", null, webhookEventId, Map.of());
        }

        public WriteContext withGroupValidity(Map<UUID, Validity> validity) {
            return new WriteContext(source, runId, webhookEventId, validity);
        }
    }

    /** Leap's validity of a group membership. */
    public record Validity(Instant from, Instant to) {
    }

    /**
     * @param received items in the page (after dropping items without a valid meter_id)
     * @param written  meters written (not older than the hub's state)
     * @param stale    meters skipped because the hub already had newer data
     * @param events   inventory events recorded
     */
    public record PageResult(int received, int written, int stale, int events, List<UUID> meterIds) {
    }

    private record Known(String status, boolean archived, Instant leapUpdatedAt) {
    }

    private record Membership(UUID groupId, Validity validity) {
    }

    // ------------------------------------------------------------------ write

    public PageResult upsertPage(List<JsonNode> page, WriteContext ctx) {
        // last one wins inside a page, by Leap's updated_at
        Map<UUID, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode m : page) {
            UUID id = uuid(m.path("meter_id").asText(null));
            if (id == null) {
                continue;
            }
            JsonNode previous = byId.get(id);
            if (previous == null || !isBefore(updatedAt(m), updatedAt(previous))) {
                byId.put(id, m);
            }
        }
        if (byId.isEmpty()) {
            return new PageResult(0, 0, 0, 0, List.of());
        }
        String allIds = uuidArray(byId.keySet());

        Map<UUID, Known> known = new HashMap<>();
        jdbc.query("SELECT meter_id, global_enrollment_status, is_archived, leap_updated_at FROM meter_inventory"
                        + " WHERE meter_id IN (SELECT unnest(?::uuid[])) ORDER BY meter_id FOR UPDATE",
                rs -> {
                    Timestamp t = rs.getTimestamp(4);
                    known.put((UUID) rs.getObject(1), new Known(rs.getString(2), rs.getBoolean(3),
                            t == null ? null : t.toInstant()));
                }, allIds);

        List<UUID> fresh = new ArrayList<>();
        List<UUID> stale = new ArrayList<>();
        for (Map.Entry<UUID, JsonNode> e : byId.entrySet()) {
            Known k = known.get(e.getKey());
            Instant incoming = updatedAt(e.getValue());
            if (k != null && k.leapUpdatedAt() != null && incoming != null && incoming.isBefore(k.leapUpdatedAt())) {
                stale.add(e.getKey());
            } else {
                fresh.add(e.getKey());
            }
        }
        if (!stale.isEmpty() && ctx.runId() != null) {
            jdbc.update("UPDATE meter_inventory SET last_seen_run_id = ? WHERE meter_id IN (SELECT unnest(?::uuid[]))",
                    ctx.runId(), uuidArray(stale));
        }
        if (fresh.isEmpty()) {
            return new PageResult(byId.size(), 0, stale.size(), 0, List.copyOf(byId.keySet()));
        }
        String freshIds = uuidArray(fresh);
        List<UUID> knownFresh = fresh.stream().filter(known::containsKey).toList();

        // the state before this page, for the inventory events
        Map<UUID, Set<String>> oldActions = new HashMap<>();
        Map<UUID, Set<UUID>> oldGroups = new HashMap<>();
        if (!knownFresh.isEmpty()) {
            String knownIds = uuidArray(knownFresh);
            jdbc.query("SELECT meter_id, party, program_identifier, delivery_period, action_type, action_code"
                            + " FROM meter_required_action WHERE meter_id IN (SELECT unnest(?::uuid[]))",
                    rs -> {
                        oldActions.computeIfAbsent((UUID) rs.getObject(1), x -> new HashSet<>())
                                .add(actionKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                    }, knownIds);
            jdbc.query("SELECT meter_id, market_group_id FROM market_group_member WHERE left_at IS NULL AND meter_id IN (SELECT unnest(?::uuid[]))",
                    rs -> {
                        oldGroups.computeIfAbsent((UUID) rs.getObject(1), x -> new HashSet<>()).add((UUID) rs.getObject(2));
                    }, knownIds);
        }

        ArrayNode meters = JSON.arrayNode();
        ArrayNode programs = JSON.arrayNode();
        ArrayNode actions = JSON.arrayNode();
        ArrayNode preferences = JSON.arrayNode();
        ArrayNode groups = JSON.arrayNode();
        ArrayNode join = JSON.arrayNode();
        ArrayNode leave = JSON.arrayNode();
        ArrayNode events = JSON.arrayNode();
        Map<UUID, ObjectNode> groupRows = new LinkedHashMap<>();

        for (UUID id : fresh) {
            JsonNode m = byId.get(id);
            String meterId = id.toString();
            String status = text(m, "global_enrollment_status");
            boolean archived = m.path("is_archived").asBoolean(false);
            ObjectNode row = meters.addObject();
            row.put("meter_id", meterId);
            row.put("partner_reference", text(m, "partner_reference"));
            row.put("meter_type", text(m, "meter_type"));
            row.put("transmission_region", text(m, "transmission_region"));
            row.put("global_enrollment_status", status);
            row.set("connection_references", arrayOrEmpty(m.get("connection_references")));
            row.put("is_archived", archived);
            row.put("customer_classification", text(m, "customer_classification"));
            row.set("load_types", arrayOrEmpty(m.get("load_types")));
            row.put("customer_group", text(m, "customer_group"));
            row.set("tags", arrayOrEmpty(m.get("tags")));
            row.put("created_by", text(m.path("audit"), "created_by"));
            row.put("created_at", text(m.path("audit"), "created_at"));
            row.put("leap_updated_at", text(m.path("audit"), "updated_at"));

            // program enrollment and the market groups it names
            Map<UUID, Validity> memberships = new LinkedHashMap<>();
            int position = 0;
            for (JsonNode p : m.path("program_enrollment")) {
                ObjectNode pr = programs.addObject();
                pr.put("meter_id", meterId);
                pr.put("position", position++);
                pr.put("program_identifier", p.path("program_identifier").asText(""));
                pr.put("delivery_period", text(p, "delivery_period"));
                pr.put("delivery_period_start_date_time", text(p, "delivery_period_start_date_time"));
                pr.put("delivery_period_end_date_time", text(p, "delivery_period_end_date_time"));
                pr.put("enrollment_status", text(p, "enrollment_status"));
                pr.set("enrollment_deadlines", arrayOrEmpty(p.get("enrollment_deadlines")));
                Instant next = null;
                for (JsonNode d : p.path("enrollment_deadlines")) {
                    Instant t = instant(text(d, "enrollment_deadline_date_time"));
                    if (t != null && (next == null || t.isBefore(next))) {
                        next = t;
                    }
                }
                pr.put("next_enrollment_deadline", next == null ? null : next.toString());
                UUID groupId = uuid(text(p, "market_group_id"));
                pr.put("market_group_id", groupId == null ? null : groupId.toString());
                pr.put("market_group_name", text(p, "market_group_name"));
                if (groupId != null) {
                    Validity v = ctx.groupValidity().get(groupId);
                    if (v == null) {
                        v = new Validity(instant(text(p, "delivery_period_start_date_time")),
                                instant(text(p, "delivery_period_end_date_time")));
                    }
                    Validity before = memberships.get(groupId);
                    memberships.put(groupId, before == null ? v : new Validity(min(before.from(), v.from()), max(before.to(), v.to())));
                    ObjectNode g = groupRows.computeIfAbsent(groupId, x -> JSON.objectNode().put("market_group_id", x.toString()));
                    g.put("market_group_name", text(p, "market_group_name"));
                    g.put("program_identifier", text(p, "program_identifier"));
                    Validity gv = ctx.groupValidity().get(groupId);
                    if (gv != null) {
                        g.put("start_date_time", str(gv.from()));
                        g.put("end_date_time", str(gv.to()));
                    }
                }
            }

            Set<String> newActions = new HashSet<>();
            for (String party : List.of("partner", "leap")) {
                int pos = 0;
                for (JsonNode a : m.path("required_actions").path(party)) {
                    ObjectNode ar = actions.addObject();
                    ar.put("meter_id", meterId);
                    ar.put("party", party);
                    ar.put("position", pos++);
                    ar.put("program_identifier", text(a, "program_identifier"));
                    ar.put("delivery_period", text(a, "delivery_period"));
                    ar.put("action_type", text(a, "action_type"));
                    ar.put("action_code", text(a, "action_code"));
                    ar.put("action_description", text(a, "action_description"));
                    ar.put("enrollment_deadline_date_time", text(a, "enrollment_deadline_date_time"));
                    String key = actionKey(party, text(a, "program_identifier"), text(a, "delivery_period"),
                            text(a, "action_type"), text(a, "action_code"));
                    if (newActions.add(key) && known.containsKey(id) && !oldActions.getOrDefault(id, Set.of()).contains(key)) {
                        event(events, "REQUIRED_ACTION_ADDED", id, null, ctx).set("detail", actionDetail(party, a));
                    }
                }
            }
            int pos = 0;
            for (JsonNode p : m.path("participation_preferences")) {
                ObjectNode pp = preferences.addObject();
                pp.put("meter_id", meterId);
                pp.put("position", pos++);
                pp.put("participation_preference", p.path("participation_preference").asText(""));
                pp.put("start_time", text(p, "start_time"));
                pp.put("end_time", text(p, "end_time"));
                pp.put("reason", text(p, "reason"));
            }

            Known k = known.get(id);
            Set<UUID> before = oldGroups.getOrDefault(id, Set.of());
            for (Map.Entry<UUID, Validity> g : memberships.entrySet()) {
                if (!before.contains(g.getKey())) {
                    join.addObject().put("market_group_id", g.getKey().toString()).put("meter_id", meterId)
                            .put("valid_from", str(g.getValue().from())).put("valid_to", str(g.getValue().to()));
                    if (k != null) {
                        event(events, "JOINED_GROUP", id, g.getKey(), ctx);
                    }
                }
            }
            for (UUID g : before) {
                if (!memberships.containsKey(g)) {
                    leave.addObject().put("market_group_id", g.toString()).put("meter_id", meterId);
                    event(events, "LEFT_GROUP", id, g, ctx);
                }
            }
            if (k != null) {
                if (!Objects.equals(k.status(), status)) {
                    ObjectNode ev = event(events, INELIGIBLE.equals(status) ? "BECAME_INELIGIBLE" : "GLOBAL_STATUS_CHANGED", id, null, ctx);
                    ((ObjectNode) ev.get("detail")).put("from", k.status()).put("to", status);
                }
                if (!k.archived() && archived) {
                    event(events, "ARCHIVED", id, null, ctx);
                } else if (k.archived() && !archived) {
                    event(events, "UNARCHIVED", id, null, ctx);
                }
                for (String old : oldActions.getOrDefault(id, Set.of())) {
                    if (!newActions.contains(old)) {
                        ObjectNode ev = event(events, "REQUIRED_ACTION_RESOLVED", id, null, ctx);
                        String[] parts = old.split("\\|", -1);
                        ((ObjectNode) ev.get("detail")).put("party", parts[0]).put("program_identifier", nullIfEmpty(parts[1]))
                                .put("delivery_period", nullIfEmpty(parts[2])).put("action_type", nullIfEmpty(parts[3]))
                                .put("action_code", nullIfEmpty(parts[4]));
                    }
                }
            }
        }
        groupRows.values().forEach(groups::add);
        String metersJson = json(meters);

        jdbc.update("""
                INSERT INTO meter_inventory (meter_id, partner_reference, meter_type, transmission_region, global_enrollment_status,
                    connection_references, is_archived, updated_at, customer_classification, load_types, customer_group, tags,
                    created_by, created_at, leap_updated_at, last_synced_at, last_seen_run_id, missing_since)
                SELECT x.meter_id, x.partner_reference, x.meter_type, x.transmission_region, x.global_enrollment_status,
                    COALESCE(x.connection_references, '[]'), COALESCE(x.is_archived, false), now(), x.customer_classification,
                    COALESCE(x.load_types, '[]'), x.customer_group, COALESCE(x.tags, '[]'), x.created_by, x.created_at,
                    x.leap_updated_at, now(), ?, NULL
                FROM jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, partner_reference text, meter_type text,
                    transmission_region text, global_enrollment_status text, connection_references jsonb, is_archived boolean,
                    customer_classification text, load_types jsonb, customer_group text, tags jsonb, created_by text,
                    created_at timestamptz, leap_updated_at timestamptz)
                ON CONFLICT (meter_id) DO UPDATE SET
                    partner_reference = EXCLUDED.partner_reference, meter_type = EXCLUDED.meter_type,
                    transmission_region = EXCLUDED.transmission_region,
                    global_enrollment_status = EXCLUDED.global_enrollment_status,
                    connection_references = EXCLUDED.connection_references, is_archived = EXCLUDED.is_archived,
                    updated_at = now(), customer_classification = EXCLUDED.customer_classification,
                    load_types = EXCLUDED.load_types, customer_group = EXCLUDED.customer_group, tags = EXCLUDED.tags,
                    created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at,
                    leap_updated_at = EXCLUDED.leap_updated_at, last_synced_at = now(),
                    last_seen_run_id = COALESCE(EXCLUDED.last_seen_run_id, meter_inventory.last_seen_run_id),
                    missing_since = NULL
                WHERE meter_inventory.leap_updated_at IS NULL OR EXCLUDED.leap_updated_at IS NULL
                   OR EXCLUDED.leap_updated_at >= meter_inventory.leap_updated_at
                """, ctx.runId(), metersJson);

        jdbc.update("DELETE FROM meter_program_enrollment WHERE meter_id IN (SELECT unnest(?::uuid[]))", freshIds);
        if (!programs.isEmpty()) {
            jdbc.update("""
                    INSERT INTO meter_program_enrollment (meter_id, position, program_identifier, delivery_period,
                        delivery_period_start_date_time, delivery_period_end_date_time, enrollment_status, enrollment_deadlines,
                        next_enrollment_deadline, market_group_id, market_group_name)
                    SELECT x.meter_id, x.position, x.program_identifier, x.delivery_period, x.delivery_period_start_date_time,
                        x.delivery_period_end_date_time, x.enrollment_status, COALESCE(x.enrollment_deadlines, '[]'),
                        x.next_enrollment_deadline, x.market_group_id, x.market_group_name
                    FROM jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, position int, program_identifier text,
                        delivery_period text, delivery_period_start_date_time timestamptz, delivery_period_end_date_time timestamptz,
                        enrollment_status text, enrollment_deadlines jsonb, next_enrollment_deadline timestamptz,
                        market_group_id uuid, market_group_name text)
                    """, json(programs));
        }
        jdbc.update("DELETE FROM meter_required_action WHERE meter_id IN (SELECT unnest(?::uuid[]))", freshIds);
        if (!actions.isEmpty()) {
            jdbc.update("""
                    INSERT INTO meter_required_action (meter_id, party, position, program_identifier, delivery_period,
                        action_type, action_code, action_description, enrollment_deadline_date_time)
                    SELECT x.meter_id, x.party, x.position, x.program_identifier, x.delivery_period, x.action_type,
                        x.action_code, x.action_description, x.enrollment_deadline_date_time
                    FROM jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, party text, position int, program_identifier text,
                        delivery_period text, action_type text, action_code text, action_description text,
                        enrollment_deadline_date_time timestamptz)
                    """, json(actions));
        }
        jdbc.update("DELETE FROM meter_participation_preference WHERE meter_id IN (SELECT unnest(?::uuid[]))", freshIds);
        if (!preferences.isEmpty()) {
            jdbc.update("""
                    INSERT INTO meter_participation_preference (meter_id, position, participation_preference, start_time,
                        end_time, reason)
                    SELECT x.meter_id, x.position, x.participation_preference, x.start_time, x.end_time, x.reason
                    FROM jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, position int, participation_preference text,
                        start_time timestamptz, end_time timestamptz, reason text)
                    """, json(preferences));
        }

        // gateways: DEFAULT rows follow partner_reference; a meter without any mapping gets the default one
        // (driven by the page's rows, so the cost does not depend on the size of the tables)
        jdbc.update("""
                DELETE FROM meter_gateway g
                USING jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, partner_reference text)
                WHERE g.meter_id = x.meter_id AND g.source = 'DEFAULT'
                  AND g.gateway_reference IS DISTINCT FROM x.partner_reference
                """, metersJson);
        jdbc.update("""
                INSERT INTO meter_gateway (meter_id, gateway_reference, source)
                SELECT x.meter_id, x.partner_reference, 'DEFAULT'
                FROM jsonb_to_recordset(?::jsonb) AS x(meter_id uuid, partner_reference text)
                WHERE x.partner_reference IS NOT NULL AND x.partner_reference <> ''
                  AND NOT EXISTS (SELECT 1 FROM meter_gateway g WHERE g.meter_id = x.meter_id)
                """, metersJson);

        if (!groups.isEmpty()) {
            jdbc.update("""
                    INSERT INTO market_group (market_group_id, market_group_name, program_identifier, start_date_time, end_date_time)
                    SELECT x.market_group_id, x.market_group_name, x.program_identifier, x.start_date_time, x.end_date_time
                    FROM jsonb_to_recordset(?::jsonb) AS x(market_group_id uuid, market_group_name text,
                        program_identifier text, start_date_time timestamptz, end_date_time timestamptz)
                    ON CONFLICT (market_group_id) DO UPDATE SET
                        market_group_name = COALESCE(EXCLUDED.market_group_name, market_group.market_group_name),
                        program_identifier = COALESCE(EXCLUDED.program_identifier, market_group.program_identifier),
                        start_date_time = COALESCE(EXCLUDED.start_date_time, market_group.start_date_time),
                        end_date_time = COALESCE(EXCLUDED.end_date_time, market_group.end_date_time),
                        updated_at = now()
                    """, json(groups));
        }
        if (!leave.isEmpty()) {
            jdbc.update("""
                    UPDATE market_group_member g SET left_at = now()
                    FROM jsonb_to_recordset(?::jsonb) AS x(market_group_id uuid, meter_id uuid)
                    WHERE g.market_group_id = x.market_group_id AND g.meter_id = x.meter_id AND g.left_at IS NULL
                    """, json(leave));
        }
        if (!join.isEmpty()) {
            jdbc.update("""
                    INSERT INTO market_group_member (market_group_id, meter_id, valid_from, valid_to)
                    SELECT x.market_group_id, x.meter_id, x.valid_from, x.valid_to
                    FROM jsonb_to_recordset(?::jsonb) AS x(market_group_id uuid, meter_id uuid, valid_from timestamptz,
                        valid_to timestamptz)
                    ON CONFLICT (market_group_id, meter_id) WHERE left_at IS NULL DO NOTHING
                    """, json(join));
        }
        insertEvents(events);
        return new PageResult(byId.size(), fresh.size(), stale.size(), events.size(), List.copyOf(byId.keySet()));
    }

    /** Records one inventory event outside a page (e.g. a meter Leap does not know). */
    public void recordEvent(String type, UUID meterId, UUID marketGroupId, ObjectNode detail, WriteContext ctx) {
        ArrayNode events = JSON.arrayNode();
        ObjectNode ev = event(events, type, meterId, marketGroupId, ctx);
        if (detail != null) {
            ((ObjectNode) ev.get("detail")).setAll(detail);
        }
        insertEvents(events);
    }

    /** Upserts a market group's name and validity (meter.enrollment.group.updated). */
    public void upsertMarketGroup(UUID id, String name, Instant start, Instant end) {
        jdbc.update("""
                INSERT INTO market_group (market_group_id, market_group_name, start_date_time, end_date_time)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (market_group_id) DO UPDATE SET
                    market_group_name = COALESCE(EXCLUDED.market_group_name, market_group.market_group_name),
                    start_date_time = COALESCE(EXCLUDED.start_date_time, market_group.start_date_time),
                    end_date_time = COALESCE(EXCLUDED.end_date_time, market_group.end_date_time),
                    updated_at = now()
                """, id, name, ts(start), ts(end));
    }

    public Set<UUID> currentMembers(UUID marketGroupId) {
        return new HashSet<>(jdbc.queryForList("SELECT meter_id FROM market_group_member WHERE market_group_id = ? AND left_at IS NULL",
                UUID.class, marketGroupId));
    }

    public Set<UUID> knownMeters(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("SELECT meter_id FROM meter_inventory WHERE meter_id IN (SELECT unnest(?::uuid[]))",
                UUID.class, uuidArray(ids)));
    }

    private void insertEvents(ArrayNode events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.update("""
                INSERT INTO inventory_event (event_type, meter_id, market_group_id, detail, source, sync_run_id, webhook_event_id)
                SELECT x.event_type, x.meter_id, x.market_group_id, COALESCE(x.detail, '{}'), x.source, x.sync_run_id,
                    x.webhook_event_id
                FROM jsonb_to_recordset(?::jsonb) AS x(event_type text, meter_id uuid, market_group_id uuid, detail jsonb,
                    source text, sync_run_id bigint, webhook_event_id text)
                """, json(events));
    }

    private static ObjectNode event(ArrayNode events, String type, UUID meterId, UUID groupId, WriteContext ctx) {
        ObjectNode e = events.addObject();
        e.put("event_type", type);
        e.put("meter_id", meterId == null ? null : meterId.toString());
        e.put("market_group_id", groupId == null ? null : groupId.toString());
        e.set("detail", JSON.objectNode());
        e.put("source", ctx.source());
        if (ctx.runId() != null) {
            e.put("sync_run_id", ctx.runId());
        }
        e.put("webhook_event_id", ctx.webhookEventId());
        return e;
    }

    private static ObjectNode actionDetail(String party, JsonNode a) {
        ObjectNode d = JSON.objectNode();
        d.put("party", party);
        for (String f : List.of("program_identifier", "delivery_period", "action_type", "action_code", "action_description",
                "enrollment_deadline_date_time")) {
            if (a.hasNonNull(f)) {
                d.put(f, a.get(f).asText());
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ helpers

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String actionKey(String party, String program, String period, String type, String code) {
        return String.join("|", nz(party), nz(program), nz(period), nz(type), nz(code));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String uuidArray(Collection<UUID> ids) {
        StringBuilder sb = new StringBuilder(ids.size() * 37 + 2).append('{');
        boolean first = true;
        for (UUID id : ids) {
            if (!first) {
                sb.append(',');
            }
            sb.append(id);
            first = false;
        }
        return sb.append('}').toString();
    }

    static UUID uuid(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private static JsonNode arrayOrEmpty(JsonNode n) {
        return n != null && n.isArray() ? n : JSON.arrayNode();
    }

    static Instant updatedAt(JsonNode meter) {
        return instant(text(meter.path("audit"), "updated_at"));
    }

    static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static boolean isBefore(Instant a, Instant b) {
        return a != null && b != null && a.isBefore(b);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
