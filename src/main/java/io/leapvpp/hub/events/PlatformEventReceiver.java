package io.leapvpp.hub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import io.leapvpp.hub.operations.LeapEventLogContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;

/**
 * The receiver of Leap's general platform events, called from routes/10-platform-events.camel.yaml: reads the body
 * within {@code hub.events.webhook.max-body-bytes} (413), validates the envelope
 * {@code {webhook_event_id (UUID), payload{webhook_event_type (string), ...}}} (400 naming the field), stores it in
 * {@code platform_event} (de-duplicated on webhook_event_id) and only then answers 200
 * {@code {webhook_event_id, webhook_event_type, duplicate}}. Unknown event types are stored and logged, not rejected.
 */
@Component("platformEventReceiver")
public class PlatformEventReceiver {

    private static final Logger log = LoggerFactory.getLogger(PlatformEventReceiver.class);

    /** The seven event types of asyncapi/events.yml. */
    public static final Set<String> KNOWN_TYPES = Set.of("meter.created", "connect_session.updated",
            "connect_session.authorization_updated", "meter.enrollment.global-status.updated",
            "meter.enrollment.participation-status.updated", "meter.enrollment.required-actions.updated",
            "meter.enrollment.group.updated");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final LeapEventLogContext eventLog;
    private final long maxBodyBytes;

    public PlatformEventReceiver(JdbcTemplate jdbc, ObjectMapper json, LeapEventLogContext eventLog,
                                 @Value("${hub.events.webhook.max-body-bytes:1048576}") long maxBodyBytes) {
        this.jdbc = jdbc;
        this.json = json;
        this.eventLog = eventLog;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The validated envelope; throws {@link HttpRejection} (413, 400). */
    public ObjectNode read(Exchange exchange) {
        Long declared = exchange.getProperty(InboundHttp.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw HttpRejection.tooLarge("body of " + declared + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        exchange.setProperty(InboundHttp.BODY, body);
        if (body.length > maxBodyBytes) {
            throw HttpRejection.tooLarge("body of " + body.length + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            throw HttpRejection.badRequest("body: empty, a JSON platform event {webhook_event_id, payload} is expected");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw HttpRejection.badRequest("body: malformed JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw HttpRejection.badRequest("body: a JSON object {webhook_event_id, payload} is expected");
        }
        JsonNode id = root.get("webhook_event_id");
        if (id == null || id.isNull()) {
            throw HttpRejection.badRequest("webhook_event_id: required");
        }
        if (!id.isTextual() || uuid(id.asText()) == null) {
            throw HttpRejection.badRequest("webhook_event_id: must be a UUID string");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw HttpRejection.badRequest("payload: required, a JSON object");
        }
        JsonNode type = payload.get("webhook_event_type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw HttpRejection.badRequest("payload.webhook_event_type: required, a non-empty string");
        }
        eventLog.tag(exchange, id.asText());
        return (ObjectNode) root;
    }

    /** Stores the envelope (before the ack). Returns true when it was new, false for a duplicate webhook_event_id. */
    public boolean store(ObjectNode envelope) {
        String id = envelope.get("webhook_event_id").asText();
        String type = envelope.path("payload").path("webhook_event_type").asText();
        int inserted = jdbc.update("""
                INSERT INTO platform_event (webhook_event_id, event_type, payload) VALUES (?, ?, CAST(? AS jsonb))
                ON CONFLICT (webhook_event_id) DO NOTHING""", UUID.fromString(id), cut(type, 100), envelope.toString());
        if (inserted == 0) {
            log.info("Platform event {} ({}) is a duplicate; already stored, nothing changed", id, type);
        } else if (!KNOWN_TYPES.contains(type)) {
            log.warn("Platform event {} has an unknown webhook_event_type '{}'; stored, not processed", id, type);
        } else {
            log.debug("Platform event {} ({}) stored", id, type);
        }
        return inserted > 0;
    }

    public void acknowledge(Exchange exchange, ObjectNode envelope, boolean stored) {
        ObjectNode answer = json.createObjectNode();
        answer.put("webhook_event_id", envelope.get("webhook_event_id").asText());
        answer.put("webhook_event_type", envelope.path("payload").path("webhook_event_type").asText());
        answer.put("duplicate", !stored);
        HttpReplies.json(exchange, 200, answer.toString());
    }

    static UUID uuid(String s) {
        try {
            return s != null && s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
