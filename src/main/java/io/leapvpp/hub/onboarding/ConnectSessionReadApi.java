package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/onboarding/connect-sessions/{partner_reference}} (routes/43-connect-read-api): what the hub knows of
 * a customer's Leap Connect onboarding, with Leap's field names where Leap has them ({@code partner_reference},
 * {@code status}, {@code utility_name}, {@code webhook_event_id}, {@code webhook_event_type},
 * {@code last_interaction_date_time_utc} of the Connect API): current status, per-utility authorizations, every event
 * (oldest first, with what it did), the links issued and the reminders sent, pending or cancelled.
 */
@Component("connectSessionReadApi")
public class ConnectSessionReadApi {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ConnectSessionReadApi(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void session(Exchange exchange) {
        String ref = pathDecoded(InboundHttp.pathVariable(exchange, "partner_reference"));
        String problem = ConnectLinkRequest.referenceProblem(ref);
        if (problem != null) {
            throw HttpRejection.badRequest("partner_reference: " + problem);
        }
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM connect_session WHERE partner_reference = ?", ref);
        if (rows.isEmpty()) {
            throw HttpRejection.notFound("no Connect link or Connect session for partner_reference " + ref);
        }
        Map<String, Object> s = rows.get(0);
        ObjectNode o = json.createObjectNode();
        o.put("partner_reference", ref);
        o.put("status", (String) s.get("status"));
        o.put("session_number", ((Number) s.get("session_number")).intValue());
        time(o, "last_interaction_date_time_utc", s.get("last_interaction_at"));
        o.put("completed", s.get("completed_at") != null);
        time(o, "completed_at", s.get("completed_at"));
        if (s.get("meter_id") != null) {
            o.put("meter_id", s.get("meter_id").toString());
        }
        time(o, "meter_created_at", s.get("meter_created_at"));
        time(o, "dropped_off_at", s.get("dropped_off_at"));
        o.put("drop_off_reason", (String) s.get("drop_off_reason"));

        ArrayNode authorizations = o.putArray("authorizations");
        for (Map<String, Object> a : jdbc.queryForList("""
                SELECT utility_name, status, status_event_id, status_event_at FROM connect_authorization
                 WHERE partner_reference = ? ORDER BY utility_name""", ref)) {
            ObjectNode n = authorizations.addObject();
            n.put("utility_name", (String) a.get("utility_name"));
            n.put("status", (String) a.get("status"));
            n.put("webhook_event_id", a.get("status_event_id").toString());
            time(n, "updated_at", a.get("status_event_at"));
        }

        ArrayNode events = o.putArray("events");
        for (Map<String, Object> e : jdbc.queryForList("""
                SELECT webhook_event_id, webhook_event_type, status, utility_name, event_at, session_number, outcome, detail
                  FROM connect_session_event WHERE partner_reference = ? ORDER BY event_at, applied_at""", ref)) {
            ObjectNode n = events.addObject();
            n.put("webhook_event_id", e.get("webhook_event_id").toString());
            n.put("webhook_event_type", (String) e.get("webhook_event_type"));
            n.put("status", (String) e.get("status"));
            if (e.get("utility_name") != null) {
                n.put("utility_name", (String) e.get("utility_name"));
            }
            time(n, "received_at", e.get("event_at"));
            if (e.get("session_number") != null) {
                n.put("session_number", ((Number) e.get("session_number")).intValue());
            }
            n.put("outcome", (String) e.get("outcome"));
            if (e.get("detail") != null) {
                n.put("detail", (String) e.get("detail"));
            }
        }

        ArrayNode links = o.putArray("links");
        for (Map<String, Object> l : jdbc.queryForList("""
                SELECT l.id, l.url, l.url_format, l.requested_utilities::text AS utilities, l.customer_email, l.source, l.source_file,
                       l.source_line, l.created_at, m.status AS mail_status, m.sent_at AS mail_sent_at
                  FROM connect_link l LEFT JOIN connect_mail m ON m.link_id = l.id AND m.kind = 'LINK'
                 WHERE l.partner_reference = ? ORDER BY l.id""", ref)) {
            ObjectNode n = links.addObject();
            n.put("link_id", ((Number) l.get("id")).longValue());
            n.put("url", (String) l.get("url"));
            n.put("url_format", (String) l.get("url_format"));
            try {
                n.set("requested_utilities", json.readTree((String) l.get("utilities")));
            } catch (IOException ex) {
                n.putArray("requested_utilities");
            }
            n.put("customer_email", (String) l.get("customer_email"));
            n.put("source", (String) l.get("source"));
            if (l.get("source_file") != null) {
                n.put("source_file", (String) l.get("source_file"));
                n.put("source_line", ((Number) l.get("source_line")).intValue());
            }
            time(n, "created_at", l.get("created_at"));
            n.put("email_status", l.get("mail_status") == null ? "NOT_REQUESTED" : (String) l.get("mail_status"));
            time(n, "email_sent_at", l.get("mail_sent_at"));
        }

        ArrayNode reminders = o.putArray("reminders");
        for (Map<String, Object> r : jdbc.queryForList("""
                SELECT id, reminder_number, dropped_off_at, drop_off_reason, due_at, status, recipient, sent_at, cancelled_at,
                       cancelled_reason, attempts, last_error
                  FROM connect_mail WHERE partner_reference = ? AND kind = 'REMINDER' ORDER BY dropped_off_at, reminder_number, id""", ref)) {
            ObjectNode n = reminders.addObject();
            n.put("reminder_id", ((Number) r.get("id")).longValue());
            n.put("reminder_number", ((Number) r.get("reminder_number")).intValue());
            time(n, "dropped_off_at", r.get("dropped_off_at"));
            n.put("drop_off_reason", (String) r.get("drop_off_reason"));
            time(n, "due_at", r.get("due_at"));
            n.put("status", (String) r.get("status"));
            n.put("recipient", (String) r.get("recipient"));
            time(n, "sent_at", r.get("sent_at"));
            time(n, "cancelled_at", r.get("cancelled_at"));
            n.put("cancelled_reason", (String) r.get("cancelled_reason"));
            n.put("attempts", ((Number) r.get("attempts")).intValue());
            if (r.get("last_error") != null) {
                n.put("last_error", (String) r.get("last_error"));
            }
        }
        HttpReplies.json(exchange, 200, o.toString());
    }

    /**
     * The path variable arrives as sent, percent-encoded (a reference may hold spaces or '+'); decoded as a URI path
     * segment: %XX only, a '+' stays a '+'.
     */
    static String pathDecoded(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpRejection.badRequest("partner_reference: not properly percent-encoded in the path");
        }
    }

    private static void time(ObjectNode node, String field, Object value) {
        if (value instanceof Timestamp t) {
            node.put(field, t.toInstant().toString());
        } else {
            node.putNull(field);
        }
    }
}
