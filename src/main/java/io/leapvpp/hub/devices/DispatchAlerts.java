package io.leapvpp.hub.devices;

import io.leapvpp.hub.operations.MailTemplates;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert digest (issue 3, item 10). Alerts are rows in {@code hub_alert}: commands FAILED for lack
 * of an ack, commands a device rejected or failed, and Leap deliveries the receiver rejected (copied
 * from {@code hub_rejected_input} by {@link #collectRejectedDeliveries()}). The route
 * {@code dispatch-alert-digest} runs in one transaction: {@link #prepareDigest} takes a
 * transaction-scoped advisory lock (one hub instance at a time), checks that the window since the last
 * mail has passed, locks the unsent alerts and renders the mail; after the SMTP server accepted it,
 * {@link #markSent} marks them. If the mail fails the transaction rolls back and the same alerts are
 * in the next digest.
 */
@Component("dispatchAlerts")
public class DispatchAlerts {

    private static final Logger log = LoggerFactory.getLogger(DispatchAlerts.class);
    private static final long DIGEST_LOCK = 0x4c45415041L; // "LEAPA"
    public static final String ALERT_IDS = "hubAlertIds";

    private final JdbcTemplate jdbc;
    private final AlertsProperties properties;

    public DispatchAlerts(JdbcTemplate jdbc, AlertsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Queues an alert for every rejected Leap dispatch delivery not queued yet (last 7 days). */
    public int collectRejectedDeliveries() {
        return jdbc.update("""
                INSERT INTO hub_alert (kind, reference, detail, source_id, created_at)
                SELECT 'DELIVERY_REJECTED', r.source, r.reason || COALESCE(': ' || left(r.detail, 300), ''), r.id, r.created_at
                  FROM hub_rejected_input r
                 WHERE r.source LIKE 'dispatch-webhook%' AND r.created_at > now() - interval '7 days'
                   AND NOT EXISTS (SELECT 1 FROM hub_alert a WHERE a.kind = 'DELIVERY_REJECTED' AND a.source_id = r.id)
                ON CONFLICT DO NOTHING""");
    }

    /**
     * Renders the digest into the body (and the Subject header) when one is due; leaves the body null
     * otherwise. Must run inside the route's transaction.
     */
    public void prepareDigest(Exchange exchange) {
        exchange.getMessage().setBody(null);
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, DIGEST_LOCK);
        if (!Boolean.TRUE.equals(locked)) {
            return; // another hub instance is sending the digest
        }
        Timestamp last = jdbc.queryForObject("SELECT max(sent_at) FROM hub_alert_digest", Timestamp.class);
        Instant now = Instant.now();
        if (last != null && last.toInstant().plus(properties.getDigestWindow()).isAfter(now)) {
            return;
        }
        Timestamp oldest = jdbc.queryForObject("SELECT min(created_at) FROM hub_alert WHERE sent_at IS NULL", Timestamp.class);
        if (oldest == null || oldest.toInstant().plus(properties.getGracePeriod()).isAfter(now)) {
            return;
        }
        List<Map<String, Object>> alerts = jdbc.queryForList("""
                SELECT id, kind, reference, detail, created_at FROM hub_alert
                 WHERE sent_at IS NULL ORDER BY id FOR UPDATE""");
        if (alerts.isEmpty()) {
            return;
        }
        Map<String, Integer> byKind = new LinkedHashMap<>();
        StringBuilder items = new StringBuilder();
        String itemTemplate = template("alert-item.txt");
        int listed = 0;
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> a : alerts) {
            ids.add(((Number) a.get("id")).longValue());
            byKind.merge((String) a.get("kind"), 1, Integer::sum);
            if (listed++ < properties.getMaxListed()) {
                items.append(render(itemTemplate, Map.of(
                        "kind", describe((String) a.get("kind")),
                        "occurred_at", ((Timestamp) a.get("created_at")).toInstant().toString(),
                        "reference", String.valueOf(a.get("reference")),
                        "detail", String.valueOf(a.get("detail")))));
            }
        }
        if (alerts.size() > properties.getMaxListed()) {
            items.append("... and ").append(alerts.size() - properties.getMaxListed()).append(" more (table hub_alert)\n");
        }
        StringBuilder summary = new StringBuilder();
        byKind.forEach((kind, n) -> summary.append("  ").append(n).append(" x ").append(describe(kind)).append('\n'));
        Map<String, String> values = Map.of(
                "count", String.valueOf(alerts.size()),
                "since", last == null ? "the start" : last.toInstant().toString(),
                "until", now.toString(),
                "summary", summary.toString(),
                "alerts", items.toString());
        exchange.getMessage().setHeader("Subject", render(template("alert-digest-subject.txt"), values).trim());
        exchange.getMessage().setHeader("Content-Type", "text/plain; charset=UTF-8");
        exchange.getMessage().setBody(render(template("alert-digest.txt"), values));
        exchange.setProperty(ALERT_IDS, ids);
    }

    /** After the SMTP server accepted the digest: marks its alerts sent and records the mail. */
    @SuppressWarnings("unchecked")
    public void markSent(Exchange exchange) {
        List<Long> ids = exchange.getProperty(ALERT_IDS, List.class);
        Long digestId = jdbc.queryForObject("INSERT INTO hub_alert_digest (alert_count) VALUES (?) RETURNING id", Long.class, ids.size());
        jdbc.batchUpdate("UPDATE hub_alert SET sent_at = now(), digest_id = ? WHERE id = ?",
                ids.stream().map(id -> new Object[]{digestId, id}).toList());
        log.info("Alert digest {} sent to operations with {} alert(s)", digestId, ids.size());
    }

    static String describe(String kind) {
        return switch (kind) {
            case "COMMAND_NO_ACK" -> "device command FAILED: no ack";
            case "COMMAND_REJECTED" -> "device command rejected by the device";
            case "COMMAND_FAILED_ON_DEVICE" -> "device command failed on the device";
            case "DELIVERY_REJECTED" -> "Leap dispatch delivery rejected by the hub";
            default -> kind;
        };
    }

    String template(String name) {
        return MailTemplates.read(properties.getTemplatesDir(), name);
    }

    /** {@code ${name}} placeholders, nothing else ({@link MailTemplates}); also used by other use cases' mails. */
    public static String render(String template, Map<String, String> values) {
        return MailTemplates.render(template, values);
    }
}
