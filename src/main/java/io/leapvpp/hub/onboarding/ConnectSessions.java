package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.LeapEventLogContext;
import io.leapvpp.hub.operations.RejectedInputs;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Connect tracking and reminders (issue 4 item 3; docs/onboarding.md). Applies Leap's {@code connect_session.updated}
 * and {@code connect_session.authorization_updated} events to {@code connect_session} / {@code connect_authorization},
 * keeps every event in {@code connect_session_event}, and turns drop-offs into reminders in {@code connect_mail}.
 *
 * <p>Ordering. Leap's payloads carry no time, so an event's time is when it first reached the hub
 * ({@code platform_event.received_at}); events are processed after the ack, possibly out of that order (retries after
 * a lease, several hubs). An event older than the state it would change is kept as STALE and changes nothing; within
 * a session statuses only move forward (CREATED → UPDATED → CLOSED | COMPLETED; a CREATED always starts a new
 * session, as Leap starts one per tab or after 24 h idle); a utility's COMPLETED authorization is final. The same
 * {@code webhook_event_id} is applied once.
 *
 * <p>Drop-off (GUIDE §3.2): the session CLOSED, an authorization FAILED, or no COMPLETED within
 * {@code drop-off.inactivity} after the customer's last event. A drop-off schedules one reminder per configured offset,
 * measured from the abandonment; the customer's next activity cancels the pending ones (CUSTOMER_RETURNED), a
 * COMPLETED session (SESSION_COMPLETED) or a {@code meter.created} for the reference (METER_CREATED) stops them for good.
 * Every change of one reference happens in one transaction that holds its {@code connect_session} row.
 */
@Component("connectSessions")
public class ConnectSessions {

    private static final Logger log = LoggerFactory.getLogger(ConnectSessions.class);
    static final String UPDATED = "connect_session.updated";
    static final String AUTHORIZATION = "connect_session.authorization_updated";
    static final List<String> SESSION_STATUSES = List.of("CREATED", "UPDATED", "CLOSED", "COMPLETED");
    static final List<String> AUTHORIZATION_STATUSES = List.of("INITIATED", "COMPLETED", "FAILED");
    private static final int INACTIVE_BATCH = 100;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ConnectProperties properties;
    private final RejectedInputs rejectedInputs;

    public ConnectSessions(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json,
                           ConnectProperties properties, RejectedInputs rejectedInputs) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.properties = properties;
        this.rejectedInputs = rejectedInputs;
    }

    /** Route step of {@code direct:connect-session-apply}: body = the envelope; replaces it with the outcome. */
    public void apply(Exchange exchange) {
        JsonNode envelope = readJson(exchange.getMessage().getBody());
        new LeapEventLogContext().tag(exchange, envelope.path("webhook_event_id").asText(null));
        exchange.getMessage().setBody(applyEvent(envelope));
    }

    /**
     * Applies one connect_session.* envelope. Answers {@code {webhook_event_id, webhook_event_type, partner_reference,
     * outcome: APPLIED | STALE | DUPLICATE | REJECTED, reason?, status?, drop_off?, reminders_scheduled?, reminders_cancelled?}}.
     */
    public ObjectNode applyEvent(JsonNode envelope) {
        JsonNode payload = envelope.path("payload");
        String eventId = text(envelope, "webhook_event_id");
        String type = text(payload, "webhook_event_type");
        String ref = text(payload, "partner_reference");
        String status = text(payload, "status");
        String utility = text(payload, "utility_name");
        ObjectNode result = json.createObjectNode();
        result.put("webhook_event_id", eventId);
        result.put("webhook_event_type", type);
        result.put("partner_reference", ref);
        String problem = problem(eventId, type, ref, status, utility);
        if (problem != null) {
            log.warn("Connect event {} ({}) rejected: {}", eventId, type, problem);
            byte[] body = envelope.toString().getBytes(StandardCharsets.UTF_8);
            rejectedInputs.store("connect-session-event", "invalid_event", problem, body, body.length, null);
            return result.put("outcome", "REJECTED").put("reason", problem);
        }
        UUID id = UUID.fromString(eventId);
        Timestamp eventAt = eventTime(id);
        ObjectNode outcome = tx.execute(s -> {
            Session session = lock(ref);
            if (jdbc.queryForObject("SELECT count(*) FROM connect_session_event WHERE webhook_event_id = ?", Integer.class, id) > 0) {
                return result.put("outcome", "DUPLICATE");
            }
            return UPDATED.equals(type)
                    ? applySessionStatus(session, id, status, eventAt, result)
                    : applyAuthorization(session, id, utility, status, eventAt, result);
        });
        log.info("Connect event {} ({} {}{}) for {}: {}", eventId, type, status, utility == null ? "" : " " + utility, ref,
                outcome.path("outcome").asText() + (outcome.has("reason") ? " (" + outcome.path("reason").asText() + ")" : ""));
        return outcome;
    }

    private ObjectNode applySessionStatus(Session session, UUID id, String status, Timestamp eventAt, ObjectNode result) {
        String stale = null;
        if (session.statusEventAt != null && eventAt.before(session.statusEventAt)) {
            stale = "older than the current status " + session.status + " (" + session.statusEventAt.toInstant() + ")";
        } else if (!"CREATED".equals(status) && session.status != null && rank(status) < rank(session.status)) {
            stale = "the session is already " + session.status;
        } else if (!"CREATED".equals(status) && ("COMPLETED".equals(session.status) || ("CLOSED".equals(session.status) && !"COMPLETED".equals(status)))) {
            stale = "the session already ended (" + session.status + "); a new session starts with CREATED";
        }
        int number = "CREATED".equals(status) ? session.sessionNumber + 1 : Math.max(1, session.sessionNumber);
        if (stale != null) {
            history(id, session.ref, UPDATED, status, null, eventAt, session.sessionNumber, "STALE", stale);
            return result.put("outcome", "STALE").put("reason", stale);
        }
        jdbc.update("""
                UPDATE connect_session SET status = ?, status_event_id = ?, status_event_at = ?, session_number = ?,
                       last_interaction_at = GREATEST(last_interaction_at, ?), updated_at = now()
                 WHERE partner_reference = ?""", status, id, eventAt, number, eventAt, session.ref);
        history(id, session.ref, UPDATED, status, null, eventAt, number, "APPLIED", null);
        result.put("outcome", "APPLIED").put("status", status).put("session_number", number);
        switch (status) {
            case "COMPLETED" -> completed(session, eventAt, result);
            case "CLOSED" -> dropOff(session, "SESSION_CLOSED", eventAt, result);
            default -> customerActive(session, result);
        }
        return result;
    }

    private ObjectNode applyAuthorization(Session session, UUID id, String utility, String status, Timestamp eventAt, ObjectNode result) {
        List<Map<String, Object>> current = jdbc.queryForList(
                "SELECT status, status_event_at FROM connect_authorization WHERE partner_reference = ? AND utility_name = ?", session.ref, utility);
        String stale = null;
        if (!current.isEmpty()) {
            Timestamp at = (Timestamp) current.get(0).get("status_event_at");
            String was = (String) current.get(0).get("status");
            if (eventAt.before(at)) {
                stale = "older than the current " + utility + " authorization " + was + " (" + at.toInstant() + ")";
            } else if ("COMPLETED".equals(was)) {
                stale = "the " + utility + " authorization is already COMPLETED";
            }
        }
        if (stale != null) {
            history(id, session.ref, AUTHORIZATION, status, utility, eventAt, session.sessionNumber, "STALE", stale);
            return result.put("outcome", "STALE").put("reason", stale);
        }
        jdbc.update("""
                INSERT INTO connect_authorization (partner_reference, utility_name, status, status_event_id, status_event_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (partner_reference, utility_name) DO UPDATE SET status = EXCLUDED.status,
                       status_event_id = EXCLUDED.status_event_id, status_event_at = EXCLUDED.status_event_at, updated_at = now()""",
                session.ref, utility, status, id, eventAt);
        jdbc.update("UPDATE connect_session SET last_interaction_at = GREATEST(last_interaction_at, ?), updated_at = now() WHERE partner_reference = ?",
                eventAt, session.ref);
        history(id, session.ref, AUTHORIZATION, status, utility, eventAt, session.sessionNumber, "APPLIED", null);
        result.put("outcome", "APPLIED").put("utility_name", utility).put("status", status);
        if ("FAILED".equals(status) && properties.dropOff().authorizationFailed()) {
            dropOff(session, "AUTHORIZATION_FAILED", eventAt, result);
        } else {
            customerActive(session, result);
        }
        return result;
    }

    private void completed(Session session, Timestamp eventAt, ObjectNode result) {
        jdbc.update("UPDATE connect_session SET completed_at = COALESCE(completed_at, ?) WHERE partner_reference = ?", eventAt, session.ref);
        int cancelled = cancelPendingReminders(session.ref, "SESSION_COMPLETED");
        result.put("reminders_cancelled", cancelled);
    }

    /** The customer is active again: a pending reminder would tell them what they are doing right now. */
    private void customerActive(Session session, ObjectNode result) {
        if (session.droppedOffAt == null) {
            return;
        }
        int cancelled = cancelPendingReminders(session.ref, "CUSTOMER_RETURNED");
        jdbc.update("UPDATE connect_session SET dropped_off_at = NULL, drop_off_reason = NULL WHERE partner_reference = ?", session.ref);
        result.put("reminders_cancelled", cancelled);
    }

    /**
     * A drop-off at {@code at}: schedules the reminder series unless the customer is connected already (COMPLETED, or
     * a meter for the reference) or a series is pending (a CLOSED after a FAILED is the same drop-off).
     */
    private void dropOff(Session session, String reason, Timestamp at, ObjectNode result) {
        result.put("drop_off", reason);
        if (session.completedAt != null) {
            result.put("reminders_scheduled", 0).put("reminders_skipped", "the session COMPLETED before");
            return;
        }
        if (session.meterCreatedAt != null || meterAlreadyAtLeap(session.ref)) {
            result.put("reminders_scheduled", 0).put("reminders_skipped", "Leap created a meter for the reference");
            return;
        }
        Integer pending = jdbc.queryForObject("SELECT count(*) FROM connect_mail WHERE partner_reference = ? AND kind = 'REMINDER' AND status = 'PENDING'",
                Integer.class, session.ref);
        if (pending > 0) {
            result.put("reminders_scheduled", 0).put("reminders_skipped", pending + " reminder(s) of the earlier drop-off pending");
            return;
        }
        jdbc.update("UPDATE connect_session SET dropped_off_at = ?, drop_off_reason = ?, updated_at = now() WHERE partner_reference = ?",
                at, reason, session.ref);
        if (!properties.reminders().enabled()) {
            result.put("reminders_scheduled", 0).put("reminders_skipped", "reminders are off (hub.onboarding.connect.reminders.enabled)");
            return;
        }
        List<Duration> offsets = properties.reminders().offsets();
        for (int i = 0; i < offsets.size(); i++) {
            jdbc.update("""
                    INSERT INTO connect_mail (kind, partner_reference, reminder_number, dropped_off_at, drop_off_reason, due_at)
                    VALUES ('REMINDER', ?, ?, ?, ?, CAST(? AS timestamptz) + make_interval(secs => ?))""",
                    session.ref, i + 1, at, reason, at, offsets.get(i).toMillis() / 1000.0);
        }
        result.put("reminders_scheduled", offsets.size());
        log.info("Connect customer {} dropped off ({} at {}); {} reminder(s) scheduled", session.ref, reason, at.toInstant(), offsets.size());
    }

    /** A meter Leap created for the reference is already in the inventory: the customer is connected. */
    private boolean meterAlreadyAtLeap(String ref) {
        List<UUID> meters = jdbc.queryForList("""
                SELECT meter_id FROM meter_inventory WHERE partner_reference = ? OR connection_references @> jsonb_build_array(?::text)
                 ORDER BY meter_id LIMIT 1""", UUID.class, ref, ref);
        if (meters.isEmpty()) {
            return false;
        }
        jdbc.update("UPDATE connect_session SET meter_id = ?, meter_created_at = COALESCE(meter_created_at, now()) WHERE partner_reference = ?",
                meters.get(0), ref);
        return true;
    }

    int cancelPendingReminders(String ref, String reason) {
        return jdbc.update("""
                UPDATE connect_mail SET status = 'CANCELLED', cancelled_at = now(), cancelled_reason = ?
                 WHERE partner_reference = ? AND kind = 'REMINDER' AND status = 'PENDING'""", reason, ref);
    }

    /**
     * Route step after the inventory applied a platform event (routes/31-inventory-events): a {@code meter.created}
     * whose reference (in the payload, or the meter's partner_reference / connection_references in the inventory) has
     * a Connect session stops its reminders for good. The body (the inventory's answer) is left as it is.
     */
    public void meterCreated(Exchange exchange) {
        JsonNode answer = readJson(exchange.getMessage().getBody());
        if (!"meter.created".equals(text(answer, "webhook_event_type"))) {
            return;
        }
        Set<String> refs = new LinkedHashSet<>();
        UUID eventId = uuid(text(answer, "webhook_event_id"));
        if (eventId != null) {
            refs.addAll(jdbc.queryForList("SELECT payload->'payload'->>'partner_reference' FROM platform_event WHERE webhook_event_id = ?",
                    String.class, eventId));
        }
        UUID meterId = null;
        for (JsonNode m : answer.path("meter_ids")) {
            meterId = uuid(m.asText(null));
            if (meterId != null) {
                for (Map<String, Object> row : jdbc.queryForList("""
                        SELECT partner_reference, r.value AS connection_reference FROM meter_inventory
                          LEFT JOIN LATERAL jsonb_array_elements_text(connection_references) r ON true WHERE meter_id = ?""", meterId)) {
                    refs.add((String) row.get("partner_reference"));
                    refs.add((String) row.get("connection_reference"));
                }
            }
        }
        refs.remove(null);
        for (String ref : refs) {
            meterCreated(ref, meterId);
        }
    }

    /** Leap created a meter for {@code ref}: reminders stop for good. Nothing happens for a reference without Connect session. */
    public int meterCreated(String ref, UUID meterId) {
        Integer cancelled = tx.execute(s -> {
            int updated = jdbc.update("""
                    UPDATE connect_session SET meter_id = COALESCE(meter_id, ?), meter_created_at = COALESCE(meter_created_at, now()), updated_at = now()
                     WHERE partner_reference = ?""", meterId, ref);
            return updated == 0 ? -1 : cancelPendingReminders(ref, "METER_CREATED");
        });
        if (cancelled >= 0) {
            log.info("Leap created meter {} for Connect customer {}; {} pending reminder(s) cancelled", meterId, ref, cancelled);
        }
        return Math.max(0, cancelled);
    }

    /**
     * The inactivity check (routes/41-connect-sessions): sessions with no event for {@code drop-off.inactivity} and no
     * COMPLETED drop off at their last event. Rows are claimed with SKIP LOCKED, so several hubs share the work.
     * Returns the number of drop-offs found.
     */
    public int detectInactive() {
        Integer found = tx.execute(s -> {
            List<String> refs = jdbc.queryForList("""
                    SELECT partner_reference FROM connect_session
                     WHERE completed_at IS NULL AND meter_created_at IS NULL AND dropped_off_at IS NULL
                       AND last_interaction_at <= now() - make_interval(secs => ?)
                     ORDER BY last_interaction_at LIMIT ? FOR UPDATE SKIP LOCKED""",
                    String.class, properties.dropOff().inactivity().toMillis() / 1000.0, INACTIVE_BATCH);
            for (String ref : refs) {
                Session session = load(ref);
                dropOff(session, "INACTIVE", session.lastInteractionAt, json.createObjectNode());
            }
            return refs.size();
        });
        return found == null ? 0 : found;
    }

    private record Session(String ref, String status, Timestamp statusEventAt, int sessionNumber, Timestamp lastInteractionAt,
                           Timestamp completedAt, Timestamp meterCreatedAt, Timestamp droppedOffAt) {
    }

    private Session lock(String ref) {
        jdbc.update("INSERT INTO connect_session (partner_reference) VALUES (?) ON CONFLICT DO NOTHING", ref);
        jdbc.queryForList("SELECT 1 FROM connect_session WHERE partner_reference = ? FOR UPDATE", ref);
        return load(ref);
    }

    private Session load(String ref) {
        return jdbc.queryForObject("""
                SELECT partner_reference, status, status_event_at, session_number, last_interaction_at, completed_at,
                       meter_created_at, dropped_off_at FROM connect_session WHERE partner_reference = ?""",
                (rs, i) -> new Session(rs.getString(1), rs.getString(2), rs.getTimestamp(3), rs.getInt(4), rs.getTimestamp(5),
                        rs.getTimestamp(6), rs.getTimestamp(7), rs.getTimestamp(8)), ref);
    }

    private void history(UUID id, String ref, String type, String status, String utility, Timestamp eventAt, int sessionNumber,
                         String outcome, String detail) {
        jdbc.update("""
                INSERT INTO connect_session_event (webhook_event_id, partner_reference, webhook_event_type, status, utility_name,
                                                   event_at, session_number, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, ref, type, status, utility, eventAt, sessionNumber == 0 ? null : sessionNumber, outcome, detail);
    }

    /** When the event first reached the hub; now for an event that did not come through the receiver. */
    private Timestamp eventTime(UUID id) {
        List<Timestamp> received = jdbc.queryForList("SELECT received_at FROM platform_event WHERE webhook_event_id = ?", Timestamp.class, id);
        return received.isEmpty() ? jdbc.queryForObject("SELECT now()", Timestamp.class) : received.get(0);
    }

    static String problem(String eventId, String type, String ref, String status, String utility) {
        if (uuid(eventId) == null) {
            return "webhook_event_id: missing or not a UUID";
        }
        if (!UPDATED.equals(type) && !AUTHORIZATION.equals(type)) {
            return "webhook_event_type: not a connect_session event: " + type;
        }
        String refProblem = ConnectLinkRequest.referenceProblem(ref);
        if (refProblem != null) {
            return "payload.partner_reference: " + refProblem;
        }
        List<String> statuses = UPDATED.equals(type) ? SESSION_STATUSES : AUTHORIZATION_STATUSES;
        if (status == null || !statuses.contains(status)) {
            return "payload.status: must be one of " + statuses + ", was " + status;
        }
        if (AUTHORIZATION.equals(type) && (utility == null || utility.isBlank() || utility.length() > 40)) {
            return "payload.utility_name: required (a Leap utility such as PGE)";
        }
        return null;
    }

    /** Forward order within a session; CLOSED and COMPLETED both end it. */
    static int rank(String status) {
        return switch (status) {
            case "CREATED" -> 1;
            case "UPDATED" -> 2;
            case "CLOSED" -> 3;
            case "COMPLETED" -> 4;
            default -> 0;
        };
    }

    private JsonNode readJson(Object body) {
        try {
            if (body instanceof JsonNode n) {
                return n;
            }
            if (body instanceof byte[] b) {
                return json.readTree(b);
            }
            if (body instanceof String s) {
                return json.readTree(s);
            }
            return body == null ? json.createObjectNode() : json.valueToTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static UUID uuid(String s) {
        try {
            return s == null || s.length() != 36 ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
