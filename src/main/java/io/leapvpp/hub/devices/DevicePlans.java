package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.SqlArrays;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The retained plan per gateway ({@code vpp/{partner_reference}/plan}): every not-ended, not-cancelled
 * timeslot of the gateway's meters with its current command, and per meter the governing timeslot for
 * each time range ({@link PlanRule}). Gateways whose commands changed are queued in
 * {@code device_plan_due} (same transaction as the outbox batch); {@link #publishDue()} publishes their
 * plans retained at QoS 1 and removes them from the queue only after the PUBACK, so a plan that could
 * not be published (broker down) goes out after the reconnect. An empty plan is published too, so a
 * reconnecting gateway learns that nothing is scheduled.
 *
 * <p>Queueing and draining exclude each other across hubs sharing the database ({@link #QUEUE_LOCK}): a gateway
 * queued while another hub's drain holds its row would otherwise be absorbed by that row, which the drain deletes
 * after publishing a plan it may have read before the change.
 */
@Component("devicePlans")
public class DevicePlans {

    private static final Logger log = LoggerFactory.getLogger(DevicePlans.class);
    private static final int BATCH = 100;
    /**
     * PostgreSQL advisory lock ("LEAPQ"): every transaction that queues gateways holds it shared until it commits,
     * a drain holds it exclusively from its claim to its commit. Within one hub the outbox's batches (which queue)
     * and the drain run one after the other on the publisher's thread, so it is only ever waited for across hubs,
     * or by the refresh of ended timeslots.
     */
    static final long QUEUE_LOCK = 0x4c45415051L;
    private static final org.springframework.jdbc.core.ColumnMapRowMapper ROW = new org.springframework.jdbc.core.ColumnMapRowMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DeviceMqttPublisher mqtt;
    private final DevicesProperties properties;
    private final ObjectMapper json;

    public DevicePlans(JdbcTemplate jdbc, TransactionTemplate tx, DeviceMqttPublisher mqtt, DevicesProperties properties,
                       ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.mqtt = mqtt;
        this.properties = properties;
        this.json = json;
    }

    /** Publishes the plans of every gateway queued in device_plan_due and due; returns how many went out. */
    public int publishDue() {
        if (!mqtt.isConnected()) {
            return 0;
        }
        int published = 0;
        while (true) {
            int[] r = tx.execute(status -> publishBatch());
            published += r[1];
            if (r[0] < BATCH || r[2] > 0) { // the queue's due part is drained, or the broker did not acknowledge
                return published;
            }
        }
    }

    private int[] publishBatch() {
        // waits for the transactions that queue gateways and are still open: their gateways are then in the queue
        // as rows of their own, and a queueing that comes later waits for this drain's end
        jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> { }, QUEUE_LOCK);
        // the first due gateways, then their last publication: one published less than min-interval ago is put back
        // until that interval has passed (changes meanwhile go into that publication)
        List<String> gateways = new ArrayList<>();
        List<Object[]> deferred = new ArrayList<>();
        jdbc.query("""
                WITH due AS (SELECT partner_reference FROM device_plan_due WHERE not_before <= now()
                              ORDER BY not_before LIMIT ? FOR UPDATE SKIP LOCKED)
                SELECT due.partner_reference, p.published_at + make_interval(secs => ?) AS at,
                       p.published_at + make_interval(secs => ?) > now() AS too_soon
                  FROM due LEFT JOIN device_plan p USING (partner_reference)""", (java.sql.ResultSet rs) -> {
            // compared by the database, on its clock: the hub's clock may differ from the one that wrote published_at
            if (rs.getBoolean("too_soon")) {
                deferred.add(new Object[]{rs.getTimestamp("at"), rs.getString("partner_reference")});
            } else {
                gateways.add(rs.getString("partner_reference"));
            }
        }, BATCH, minIntervalSeconds(), minIntervalSeconds());
        if (!deferred.isEmpty()) {
            jdbc.batchUpdate("UPDATE device_plan_due SET not_before = ? WHERE partner_reference = ?", deferred);
        }
        if (gateways.isEmpty()) {
            return new int[]{deferred.size(), 0, 0};
        }
        Map<String, Plan> plans = plans(gateways);
        Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        for (String gateway : gateways) {
            Plan plan = plans.get(gateway);
            MqttProperties p = new MqttProperties();
            p.setContentType("application/json");
            p.setPayloadFormat(true);
            futures.put(gateway, mqtt.publish(properties.planTopic(gateway), plan.json().getBytes(StandardCharsets.UTF_8), p, true));
        }
        try {
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                    .get(properties.getOutbox().getPublishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // per-gateway outcome below
        }
        List<Object[]> published = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Void>> f : futures.entrySet()) {
            if (f.getValue().isDone() && !f.getValue().isCompletedExceptionally()) {
                Plan plan = plans.get(f.getKey());
                published.add(new Object[]{f.getKey(), plan.json(),
                        plan.nextEnd() == null ? null : java.sql.Timestamp.from(plan.nextEnd())});
            }
        }
        int ok = published.size();
        if (ok > 0) {
            jdbc.batchUpdate("DELETE FROM device_plan_due WHERE partner_reference = ?",
                    published.stream().map(r -> new Object[]{r[0]}).toList());
            jdbc.batchUpdate("""
                    INSERT INTO device_plan (partner_reference, payload, next_end, published_at) VALUES (?, CAST(? AS jsonb), ?, now())
                    ON CONFLICT (partner_reference) DO UPDATE
                       SET payload = EXCLUDED.payload, next_end = EXCLUDED.next_end, published_at = now()""", published);
        }
        if (ok < gateways.size()) {
            log.warn("{} gateway plan(s) not acknowledged by the broker; retried on the next drain", gateways.size() - ok);
        }
        return new int[]{gateways.size() + deferred.size(), ok, gateways.size() - ok};
    }

    /**
     * Queues these gateways' plans for publication (a gateway already queued keeps its place); the drain keeps each
     * gateway to one publication per {@code hub.devices.plan.min-interval}. Runs in the caller's transaction, which
     * holds {@link #QUEUE_LOCK} shared from here until it commits (waiting first for a drain of another hub).
     */
    public void queue(java.util.Collection<String> gateways) {
        if (gateways.isEmpty()) {
            return;
        }
        jdbc.update(SqlArrays.statement("""
                INSERT INTO device_plan_due (partner_reference)
                SELECT gateway FROM (SELECT pg_advisory_xact_lock_shared(%d)) queue_lock, unnest(?::text[]) AS gateway
                ON CONFLICT DO NOTHING""".formatted(QUEUE_LOCK), "text", new java.util.TreeSet<>(gateways)));
    }

    /**
     * Queues the plans of gateways that list a timeslot which has ended since their plan was last
     * published (so the retained plan does not keep advertising it). Returns how many were queued.
     */
    public int queueEndedTimeslots() {
        return jdbc.update("""
                INSERT INTO device_plan_due (partner_reference)
                SELECT partner_reference FROM (SELECT pg_advisory_xact_lock_shared(%d)) queue_lock, device_plan
                 WHERE next_end <= now()
                ON CONFLICT DO NOTHING""".formatted(QUEUE_LOCK));
    }

    private double minIntervalSeconds() {
        return properties.getPlan().getMinInterval().toMillis() / 1000.0;
    }

    /** A gateway's plan and when the earliest timeslot it lists ends (null: it lists none). */
    record Plan(String json, Instant nextEnd) {
    }

    /** The plan of one gateway as published (see plan.schema.json). */
    public String planJson(String partnerReference) {
        return plan(partnerReference).json();
    }

    Plan plan(String partnerReference) {
        return plans(List.of(partnerReference)).get(partnerReference);
    }

    /** The plans of several gateways, read with one query (a drain publishes up to a hundred). */
    Map<String, Plan> plans(List<String> partnerReferences) {
        Map<String, List<Map<String, Object>>> rowsByGateway = new LinkedHashMap<>();
        partnerReferences.forEach(g -> rowsByGateway.put(g, new ArrayList<>()));
        jdbc.query(SqlArrays.statement("""
                SELECT DISTINCT ON (c.partner_reference, c.event_id, c.meter_id)
                       c.partner_reference, c.command_id, c.event_id, c.meter_id, c.action, m.payload::text AS payload,
                       e.cancelled, e.state, e.version, e.start_time, e.end_time, e.updated_at
                  FROM unnest(?::text[]) AS gateway(partner_reference)
                  JOIN device_command c ON c.partner_reference = gateway.partner_reference
                  JOIN device_command_message m ON m.id = c.id
                  JOIN dispatch_event e ON e.event_id = c.event_id
                 WHERE e.end_time > now()
                 ORDER BY c.partner_reference, c.event_id, c.meter_id, c.event_version DESC, c.created_at DESC""",
                "text", partnerReferences), (java.sql.ResultSet rs) -> {
            Map<String, Object> row = ROW.mapRow(rs, 0);
            rowsByGateway.get((String) row.get("partner_reference")).add(row);
        });
        Map<String, Plan> plans = new LinkedHashMap<>();
        rowsByGateway.forEach((gateway, rows) -> plans.put(gateway, plan(gateway, rows)));
        return plans;
    }

    /** Builds a gateway's plan from its rows: the latest command per (event, meter) of its not-ended events. */
    private Plan plan(String partnerReference, List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> byMeter = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            if (!"schedule".equals(row.get("action")) || Boolean.TRUE.equals(row.get("cancelled"))
                    || "CANCELLED".equals(row.get("state"))) {
                continue;
            }
            byMeter.computeIfAbsent(Objects.toString(row.get("meter_id"), ""), k -> new ArrayList<>()).add(row);
        }
        ObjectNode plan = json.createObjectNode();
        plan.put("partner_reference", partnerReference);
        plan.put("generated_at", iso(Instant.now()));
        ArrayNode meters = plan.putArray("meters");
        Instant[] nextEnd = {null};
        byMeter.keySet().stream().sorted().forEach(meterId -> {
            ObjectNode meter = meters.addObject();
            if (meterId.isEmpty()) {
                meter.putNull("meter_id");
            } else {
                meter.put("meter_id", meterId);
            }
            ArrayNode events = meter.putArray("events");
            List<PlanRule.Slot> slots = new ArrayList<>();
            List<Map<String, Object>> list = byMeter.get(meterId);
            list.sort((a, b) -> ((java.sql.Timestamp) a.get("start_time")).compareTo((java.sql.Timestamp) b.get("start_time")));
            for (Map<String, Object> row : list) {
                JsonNode payload = parse((String) row.get("payload"));
                Instant start = instant(payload.path("start_time").asText(null), row.get("start_time"));
                Instant end = instant(payload.path("end_time").asText(null), row.get("end_time"));
                if (nextEnd[0] == null || end.isBefore(nextEnd[0])) {
                    nextEnd[0] = end;
                }
                Instant updatedAt = ((java.sql.Timestamp) row.get("updated_at")).toInstant();
                ObjectNode e = events.addObject();
                e.put("command_id", (String) row.get("command_id"));
                e.put("event_id", row.get("event_id").toString());
                e.put("version", ((Number) row.get("version")).intValue());
                e.put("start_time", iso(start));
                e.put("end_time", iso(end));
                e.set("target_kw", payload.path("target_kw").isMissingNode() ? json.nullNode() : payload.get("target_kw"));
                e.set("nomination_kw", payload.path("nomination_kw").isMissingNode() ? json.nullNode() : payload.get("nomination_kw"));
                Integer priority = payload.path("priority").isNumber() ? payload.get("priority").asInt() : null;
                Boolean voluntary = payload.path("is_voluntary").isBoolean() ? payload.get("is_voluntary").asBoolean() : null;
                if (priority == null) {
                    e.putNull("priority");
                } else {
                    e.put("priority", priority);
                }
                if (voluntary == null) {
                    e.putNull("is_voluntary");
                } else {
                    e.put("is_voluntary", voluntary);
                }
                e.put("test", payload.path("test").asBoolean(false));
                e.put("updated_at", iso(updatedAt));
                slots.add(new PlanRule.Slot(row.get("event_id").toString(), (String) row.get("command_id"), start, end,
                        priority, voluntary, updatedAt));
            }
            ArrayNode governing = meter.putArray("governing");
            for (PlanRule.Range r : PlanRule.governing(slots)) {
                ObjectNode g = governing.addObject();
                g.put("from", iso(r.from()));
                g.put("to", iso(r.to()));
                g.put("event_id", r.eventId());
                g.put("command_id", r.commandId());
            }
        });
        try {
            return new Plan(json.writeValueAsString(plan), nextEnd[0]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String payload) {
        try {
            return json.readTree(payload);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static Instant instant(String iso, Object fallback) {
        if (iso != null) {
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (RuntimeException ignored) {
                // fall back to the event's column
            }
        }
        return ((java.sql.Timestamp) fallback).toInstant();
    }

    static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.atOffset(ZoneOffset.UTC).toInstant());
    }
}
