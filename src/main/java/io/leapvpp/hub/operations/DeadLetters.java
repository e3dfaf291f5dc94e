package io.leapvpp.hub.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the hub's one error-handling policy ends: an exchange that failed after every redelivery is
 * stored in {@code hub_dead_letter} with its route, Leap event id, error and body, so nothing
 * accepted is lost and operations can replay it. Called from {@code routes/00-hub-defaults.camel.yaml}.
 */
@Component("deadLetters")
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    static final int MAX_BODY_CHARS = 1_000_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public DeadLetters(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String leapEventId = LeapEventLogContext.eventIdOf(exchange);
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && body.length() > MAX_BODY_CHARS) {
            body = body.substring(0, MAX_BODY_CHARS);
        }
        jdbc.update("""
                        INSERT INTO hub_dead_letter (route_id, exchange_id, leap_event_id, error_type, error_message, body, headers)
                        VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb))""",
                routeId, exchange.getExchangeId(), leapEventId,
                error == null ? null : error.getClass().getName(),
                error == null ? null : error.getMessage(),
                body, headersAsJson(exchange));
        log.error("Dead letter from route {} (exchange {}): {}", routeId, exchange.getExchangeId(),
                error == null ? "no exception" : error.toString());
    }

    private String headersAsJson(Exchange exchange) {
        Map<String, String> safe = new TreeMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (value != null && !isSensitive(name)) {
                safe.put(name, String.valueOf(value));
            }
        });
        try {
            return json.writeValueAsString(safe);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    /** Credentials that arrived as headers (webhook secrets, API keys) are never stored. */
    static boolean isSensitive(String headerName) {
        String name = headerName.toLowerCase();
        return name.contains("authorization") || name.contains("api-key") || name.contains("apikey")
                || name.contains("secret") || name.contains("password") || name.contains("token")
                || name.contains("cookie");
    }
}
