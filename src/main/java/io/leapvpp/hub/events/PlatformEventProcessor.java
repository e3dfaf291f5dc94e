package io.leapvpp.hub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Processing of stored platform events after the ack (routes/10-platform-events.camel.yaml). {@link #claim()} takes a
 * batch of unprocessed rows with {@code FOR UPDATE SKIP LOCKED} (concurrent claimers never take the same row), counts
 * the attempt and leases the rows for {@code hub.events.processing.lease-seconds}; a row whose processing failed is
 * retried when its lease ends, up to {@code hub.events.processing.max-attempts} attempts (then outcome FAILED).
 */
@Component("platformEventProcessor")
public class PlatformEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(PlatformEventProcessor.class);
    public static final String EVENT_ID = "hub.platformEvent.id";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final int batchSize;
    private final int leaseSeconds;
    private final int maxAttempts;

    public PlatformEventProcessor(JdbcTemplate jdbc, ObjectMapper json,
                                  @Value("${hub.events.processing.batch-size:100}") int batchSize,
                                  @Value("${hub.events.processing.lease-seconds:60}") int leaseSeconds,
                                  @Value("${hub.events.processing.max-attempts:10}") int maxAttempts) {
        this.jdbc = jdbc;
        this.json = json;
        this.batchSize = batchSize;
        this.leaseSeconds = leaseSeconds;
        this.maxAttempts = maxAttempts;
    }

    /** One claimed event: the body of one split step. */
    public record Claimed(UUID webhookEventId, String eventType, String envelope, int attempt) {
    }

    /** Claims up to batch-size due rows (one statement, committed at once). */
    public List<Claimed> claim() {
        List<Claimed> batch = jdbc.query("""
                UPDATE platform_event p SET attempts = p.attempts + 1,
                       next_attempt_at = now() + make_interval(secs => ?)
                WHERE p.webhook_event_id IN (
                    SELECT webhook_event_id FROM platform_event
                    WHERE processed_at IS NULL AND attempts < ? AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                    ORDER BY received_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING p.webhook_event_id, p.event_type, p.payload::text, p.attempts""",
                (rs, i) -> new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4)),
                leaseSeconds, maxAttempts, batchSize);
        if (!batch.isEmpty()) {
            log.debug("Claimed {} platform event(s)", batch.size());
        }
        return batch;
    }

    /** Route step before the type switch: exchange property with the id, body = the envelope JSON, header with the type. */
    public void prepare(Exchange exchange, Claimed claimed) {
        exchange.setProperty(EVENT_ID, claimed.webhookEventId().toString());
        exchange.getMessage().setHeader("webhookEventType", claimed.eventType());
        exchange.getMessage().setBody(claimed.envelope());
    }

    /**
     * After the handler: marks the event processed with {@code outcome} (or the body's {@code outcome} field when
     * {@code outcome} is null). When the handler's own error policy gave up (dead letter), the row stays unprocessed
     * and is retried after its lease; at max-attempts it is marked FAILED.
     */
    public void done(Exchange exchange, String outcome) {
        UUID id = UUID.fromString(exchange.getProperty(EVENT_ID, String.class));
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null || Boolean.TRUE.equals(exchange.getProperty(Exchange.FAILURE_HANDLED, Boolean.class))) {
            failed(id, failure == null ? "failed (see hub_dead_letter)" : failure.toString());
            return;
        }
        if (outcome == null || outcome.isBlank()) {
            outcome = outcomeOf(exchange.getMessage().getBody());
        }
        jdbc.update("UPDATE platform_event SET processed_at = now(), outcome = ?, next_attempt_at = NULL, last_error = NULL WHERE webhook_event_id = ?",
                outcome, id);
        log.debug("Platform event {} processed: {}", id, outcome);
    }

    private void failed(UUID id, String error) {
        Map<String, Object> row = jdbc.queryForMap("SELECT attempts FROM platform_event WHERE webhook_event_id = ?", id);
        int attempts = ((Number) row.get("attempts")).intValue();
        if (attempts >= maxAttempts) {
            jdbc.update("UPDATE platform_event SET processed_at = now(), outcome = 'FAILED', last_error = ? WHERE webhook_event_id = ?", error, id);
            log.error("Platform event {} failed {} times; given up (outcome FAILED): {}", id, attempts, error);
        } else {
            jdbc.update("UPDATE platform_event SET last_error = ? WHERE webhook_event_id = ?", error, id);
            log.warn("Platform event {} failed (attempt {} of {}); retried after its lease: {}", id, attempts, maxAttempts, error);
        }
    }

    private String outcomeOf(Object body) {
        try {
            JsonNode n = body instanceof JsonNode j ? j : body instanceof String s ? json.readTree(s) : json.valueToTree(body);
            String o = n.path("outcome").asText(null);
            return o == null ? "DONE" : o;
        } catch (Exception e) {
            return "DONE";
        }
    }
}
