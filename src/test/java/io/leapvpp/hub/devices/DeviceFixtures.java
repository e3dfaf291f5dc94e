package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes dispatch events and outbox commands exactly as the intake side does (the interface of
 * issue 3: device_command rows PENDING with expires_at, their device_command_message (topic, payload), then NOTIFY
 * device_command_due
 * in the same transaction), so the device side is tested without the receivers.
 */
public final class DeviceFixtures {

    /**
     * A PENDING command, its state and its message (V44) in one statement, as the intake writes them. Parameters:
     * command_id, event_id, event_version, meter_id, partner_reference, action, expires_at, topic, payload (JSON).
     */
    public static final String INSERT_PENDING_COMMAND = """
            WITH state AS (INSERT INTO device_command (command_id, event_id, event_version, meter_id, partner_reference, action,
                                                       expires_at, status, next_attempt_at)
                           VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', now())
                           RETURNING id)
            INSERT INTO device_command_message (id, topic, payload) SELECT id, ?, CAST(? AS jsonb) FROM state""";

    static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    DeviceFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static String gateway(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Instant minutesFromNow(long minutes) {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(minutes, ChronoUnit.MINUTES);
    }

    /** A METER event (version 1, state COMMANDED). */
    UUID event(UUID meterId, String gateway, Instant start, Instant end, Integer priority, Boolean voluntary) {
        UUID eventId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO dispatch_event (event_id, kind, meter_id, partner_reference, start_time, end_time, cancelled,
                    energy_kw, nomination_kw, priority, is_voluntary, version, content_hash, state)
                VALUES (?, 'METER', ?, ?, ?, ?, false, 50, 60, ?, ?, 1, 'h1', 'COMMANDED')""",
                eventId, meterId, gateway, Timestamp.from(start), Timestamp.from(end), priority, voluntary);
        return eventId;
    }

    /** A new version of an event (what the intake does on changed values), returning the new version. */
    int bumpVersion(UUID eventId, boolean cancelled) {
        jdbc.update("UPDATE dispatch_event SET version = version + 1, cancelled = ?, updated_at = now() WHERE event_id = ?",
                cancelled, eventId);
        return jdbc.queryForObject("SELECT version FROM dispatch_event WHERE event_id = ?", Integer.class, eventId);
    }

    String command(UUID eventId, UUID meterId, String gateway, String action, Instant start, Instant end,
                   BigDecimal targetKw, Integer priority, Boolean voluntary) {
        int version = jdbc.queryForObject("SELECT version FROM dispatch_event WHERE event_id = ?", Integer.class, eventId);
        String commandId = eventId + "-v" + version + "-" + meterId.toString().substring(0, 8) + ("cancel".equals(action) ? "-c" : "");
        ObjectNode p = JSON.createObjectNode();
        p.put("command_id", commandId);
        p.put("action", action);
        p.put("meter_id", meterId.toString());
        p.put("partner_reference", gateway);
        p.put("meter_event_id", eventId.toString());
        p.put("start_time", start.toString());
        p.put("end_time", end.toString());
        if (targetKw == null) {
            p.putNull("target_kw");
        } else {
            p.put("target_kw", targetKw);
        }
        p.put("nomination_kw", new BigDecimal("60"));
        if (priority == null) {
            p.putNull("priority");
        } else {
            p.put("priority", priority);
        }
        if (voluntary == null) {
            p.putNull("is_voluntary");
        } else {
            p.put("is_voluntary", voluntary);
        }
        p.put("performance_compensation_cap", "NONE");
        p.putArray("dispatch_event_types").add("ECONOMIC");
        p.putArray("programs").add("CAISO DRAM");
        p.put("test", false);
        jdbc.update(INSERT_PENDING_COMMAND, commandId, eventId, version, meterId, gateway, action, Timestamp.from(end),
                "vpp/" + gateway + "/commands", p.toString());
        jdbc.execute("SELECT pg_notify('device_command_due', '')");
        return commandId;
    }

    /** One event with one schedule command, window [now+1m, now+61m). */
    String scheduled(String gateway) {
        UUID meter = UUID.randomUUID();
        Instant start = minutesFromNow(1);
        Instant end = start.plus(60, ChronoUnit.MINUTES);
        UUID event = event(meter, gateway, start, end, 2, false);
        return command(event, meter, gateway, "schedule", start, end, new BigDecimal("50.5"), 2, false);
    }

    String status(String commandId) {
        return jdbc.queryForObject("SELECT status FROM device_command WHERE command_id = ?", String.class, commandId);
    }

    int publishCount(String commandId) {
        return jdbc.queryForObject("SELECT publish_count FROM device_command WHERE command_id = ?", Integer.class, commandId);
    }

    String eventState(String commandId) {
        return jdbc.queryForObject("""
                SELECT e.state FROM dispatch_event e JOIN device_command c ON c.event_id = e.event_id WHERE c.command_id = ?""",
                String.class, commandId);
    }
}
