package io.leapvpp.hub.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one place for input the hub refused ({@code hub_rejected_input}): source, reason, detail, the
 * body capped at {@link #MAX_BODY_BYTES} ({@code body_truncated}), the caller's address. For HTTP
 * routes it also answers the caller with {@code {error, detail}} and the rejection's status.
 * Storing never turns a 4xx into a 500: when the database is down the rejection is only logged.
 */
@Component("rejectedInputs")
public class RejectedInputs {

    private static final Logger log = LoggerFactory.getLogger(RejectedInputs.class);
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** A body not yet read when the request was refused is read only when it declares at most this length. */
    static final int MAX_UNREAD_BODY_BYTES = 1024 * 1024;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public RejectedInputs(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** doCatch step of an HTTP route: stores the rejected request and writes the 4xx answer. */
    public void reject(Exchange exchange, String source) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HttpRejection rejection = caught instanceof HttpRejection r ? r
                : HttpRejection.badRequest(caught == null ? "rejected" : caught.getMessage());
        byte[] body = exchange.getProperty(InboundHttp.BODY, byte[].class);
        Long declared = exchange.getProperty(InboundHttp.CONTENT_LENGTH, Long.class);
        if (body == null && declared != null && declared > 0 && declared <= MAX_UNREAD_BODY_BYTES) {
            // refused before the body was read (e.g. 401): keep it for audit, but never read an unbounded body
            try {
                body = exchange.getIn().getBody(byte[].class);
            } catch (RuntimeException e) {
                body = null;
            }
        }
        int bodyBytes = body != null ? body.length : declared == null ? 0 : (int) Math.min(Integer.MAX_VALUE, declared);
        String remote = exchange.getProperty(InboundHttp.REMOTE_ADDRESS, String.class);
        store(source, rejection.error(), rejection.detail(), body, bodyBytes, remote);
        log.warn("Rejected {} from {}: {} {} ({})", source, remote, rejection.status(), rejection.error(), rejection.detail());
        HttpReplies.json(exchange, rejection.status(), problem(rejection.error(), rejection.detail()));
    }

    /** Stores one rejected input; {@code bodyBytes} is the full size even when {@code body} is absent or cut. */
    public void store(String source, String reason, String detail, byte[] body, int bodyBytes, String remoteAddress) {
        boolean truncated = body == null ? bodyBytes > 0 : body.length > MAX_BODY_BYTES;
        String text = body == null ? null
                : new String(body.length > MAX_BODY_BYTES ? Arrays.copyOf(body, MAX_BODY_BYTES) : body, StandardCharsets.UTF_8)
                .replace("\u0000", "");
        try {
            jdbc.update("""
                            INSERT INTO hub_rejected_input (source, reason, detail, body, body_bytes, body_truncated, remote_address)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    source, cut(reason, 100), detail, text, bodyBytes, truncated, cut(remoteAddress, 100));
        } catch (RuntimeException e) {
            log.error("Could not store rejected input from {} ({}): {}", source, reason, e.toString());
        }
    }

    String problem(String error, String detail) {
        ObjectNode node = json.createObjectNode();
        node.put("error", error);
        node.put("detail", detail);
        return node.toString();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
