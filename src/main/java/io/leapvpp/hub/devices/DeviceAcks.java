package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records a device ack against its command and timeslot (issue 3, item 6). Called by the route
 * {@code device-ack-received}. The ack is stored as received in {@code device_ack}; the command's
 * status and {@code acked_at} and, when the command is for the event's current version, the event's
 * state follow it. Statuses never go backwards (a late "accepted" after "completed" is stored but
 * changes nothing). A rejected or failed command queues an alert for the digest mail.
 */
@Component("deviceAcks")
public class DeviceAcks {

    private static final Logger log = LoggerFactory.getLogger(DeviceAcks.class);
    static final Set<String> STATUSES = Set.of("accepted", "rejected", "started", "completed", "failed");
    static final int MAX_BODY_CHARS = 64 * 1024;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public DeviceAcks(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return "recorded", "unknown-command" or "stale" (stored, nothing changed), "duplicate" (recorded before) */
    @Transactional
    public String record(String body, @Header("CamelMqttTopic") String topic) {
        JsonNode ack = parse(body);
        String commandId = ack.get("command_id").asText();
        String status = ack.get("status").asText();
        String reason = ack.hasNonNull("reason") ? ack.get("reason").asText() : null;
        Timestamp at = ack.hasNonNull("at") ? Timestamp.from(OffsetDateTime.parse(ack.get("at").asText()).toInstant()) : null;
        int stored = jdbc.update("""
                INSERT INTO device_ack (command_id, status, reason, at, raw) VALUES (?, ?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT (command_id, status, at) DO NOTHING""", commandId, status, reason, at, ack.toString());
        if (stored == 0) {
            // the same ack (command, status and the device's time) delivered again: at-least-once delivery, or two
            // subscriptions of this hub's database that both matched; it was recorded the first time
            log.debug("Ack {} for command {} at {} delivered again; recorded once", status, commandId, at);
            return "duplicate";
        }

        List<Map<String, Object>> commands = jdbc.queryForList("""
                SELECT c.command_id, c.status, c.acked_at, c.action, c.event_id, c.event_version, c.partner_reference,
                       c.meter_id, e.version AS current_version
                  FROM device_command c JOIN dispatch_event e ON e.event_id = c.event_id
                 WHERE c.command_id = ? FOR UPDATE OF c""", commandId);
        if (commands.isEmpty()) {
            log.warn("Ack for unknown command_id {} on {} (status {}); stored in device_ack only", commandId, topic, status);
            return "unknown-command";
        }
        Map<String, Object> c = commands.get(0);
        String current = (String) c.get("status");
        String next = status.toUpperCase();
        boolean firstAck = c.get("acked_at") == null;
        if (!firstAck && rank(next) < rank(current)) {
            log.info("Late ack {} for command {} (already {}): stored, nothing changed", status, commandId, current);
            return "stale";
        }
        jdbc.update("""
                UPDATE device_command SET status = ?, acked_at = COALESCE(acked_at, now()), updated_at = now()
                 WHERE command_id = ?""", next, commandId);
        if (((Number) c.get("event_version")).intValue() == ((Number) c.get("current_version")).intValue()) {
            String eventState = eventState((String) c.get("action"), status);
            if (eventState != null) {
                jdbc.update("UPDATE dispatch_event SET state = ?, updated_at = now() WHERE event_id = ? AND version = ?",
                        eventState, c.get("event_id"), c.get("event_version"));
            }
        }
        if ("rejected".equals(status) || "failed".equals(status)) {
            jdbc.update("INSERT INTO hub_alert (kind, reference, detail) VALUES (?, ?, ?)",
                    "rejected".equals(status) ? "COMMAND_REJECTED" : "COMMAND_FAILED_ON_DEVICE", commandId,
                    "gateway " + c.get("partner_reference") + ", meter " + c.get("meter_id") + ", event " + c.get("event_id")
                            + " (" + c.get("action") + "): " + (reason == null ? "no reason given" : reason));
            log.warn("Device {} command {} for event {}: {}", status, commandId, c.get("event_id"), reason);
        }
        return "recorded";
    }

    /** The timeslot state an ack implies; a cancel that the device accepted or completed is CANCELLED. */
    static String eventState(String action, String ackStatus) {
        if ("cancel".equals(action)) {
            return switch (ackStatus) {
                case "accepted", "completed" -> "CANCELLED";
                case "rejected" -> "REJECTED";
                case "failed" -> "FAILED";
                default -> null;
            };
        }
        return ackStatus.toUpperCase();
    }

    static int rank(String commandStatus) {
        return switch (commandStatus) {
            case "ACCEPTED", "REJECTED" -> 1;
            case "STARTED" -> 2;
            case "COMPLETED", "FAILED" -> 3;
            default -> 0;
        };
    }

    JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidDeviceAckException("empty", "the ack has no body");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidDeviceAckException("malformed-json", "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidDeviceAckException("not-an-object", "an ack is a JSON object");
        }
        if (!node.path("command_id").isTextual() || node.get("command_id").asText().isBlank()
                || node.get("command_id").asText().length() > 100) {
            throw new InvalidDeviceAckException("missing-field", "command_id must be a non-empty string of at most 100 characters");
        }
        if (!node.path("status").isTextual() || !STATUSES.contains(node.get("status").asText())) {
            throw new InvalidDeviceAckException("invalid-status", "status must be one of " + STATUSES);
        }
        if (node.hasNonNull("reason") && !node.get("reason").isTextual()) {
            throw new InvalidDeviceAckException("invalid-field", "reason must be a string");
        }
        if (node.hasNonNull("at")) {
            try {
                OffsetDateTime.parse(node.get("at").asText());
            } catch (RuntimeException e) {
                throw new InvalidDeviceAckException("invalid-field", "at must be an ISO-8601 date-time with offset");
            }
        }
        return node;
    }

    /** Stores a refused ack in hub_rejected_input (source device-ack); called from the route's doCatch. */
    public void reject(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = error instanceof InvalidDeviceAckException i ? i.getReason() : "invalid";
        String body = exchange.getMessage().getBody(String.class);
        int bytes = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        boolean truncated = body != null && body.length() > MAX_BODY_CHARS;
        jdbc.update("""
                INSERT INTO hub_rejected_input (source, reason, detail, body, body_bytes, body_truncated, remote_address)
                VALUES ('device-ack', ?, ?, ?, ?, ?, ?)""",
                reason, error == null ? null : error.getMessage(), truncated ? body.substring(0, MAX_BODY_CHARS) : body,
                bytes, truncated, exchange.getMessage().getHeader("CamelMqttTopic", String.class));
    }
}
