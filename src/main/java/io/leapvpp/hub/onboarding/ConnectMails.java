package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.operations.MailTemplates;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The steps of the customer-mail sender (routes/42-connect-mails.camel.yaml). Inside the route's transaction,
 * {@link #claimNext} takes the oldest due {@code connect_mail} row with {@code FOR UPDATE SKIP LOCKED} (several hubs
 * never take the same one) and renders it; the row stays locked while the SMTP server takes the mail, then
 * {@link #markSent} commits it as SENT. A hub that dies before the commit leaves the row PENDING for the next one (the
 * mail may then go twice, the only way it can); a mail is never lost and never claimed by two hubs at once.
 * <p>
 * A reminder is not sent when a later reminder of the same drop-off is due as well (a hub that was down for days
 * sends one reminder, not three: SUPERSEDED), nor without a recipient (NO_RECIPIENT).
 */
@Component("connectMails")
public class ConnectMails {

    private static final Logger log = LoggerFactory.getLogger(ConnectMails.class);
    /** Wakes the sender now (a new link mail); wake-ups coalesce in a queue of one. Same options as the consumer. */
    public static final String WAKE_URI = "seda:connect-mails-wake?size=1&discardWhenFull=true&waitForTaskToComplete=Never";
    /** Exchange property: a due mail was taken (the sender's loop goes on). */
    public static final String CLAIMED = "connectMailClaimed";
    /** Exchange property: ... and it is to be sent now. */
    public static final String SEND = "connectMailSend";
    static final String MAIL_ID = "connectMailId";
    static final String RECIPIENT = "connectMailRecipient";
    private static final Duration MAX_RETRY_DELAY = Duration.ofHours(6);

    private final JdbcTemplate jdbc;
    private final ConnectProperties properties;
    private final ConnectUrls urls;

    public ConnectMails(JdbcTemplate jdbc, ConnectProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.urls = new ConnectUrls(properties);
    }

    public static void wake(ProducerTemplate producer) {
        try {
            producer.sendBody(WAKE_URI, "");
        } catch (RuntimeException e) {
            // the timer backstop sends it
            log.debug("Could not wake the Connect mail sender: {}", e.toString());
        }
    }

    /** Claims the next due mail and renders it into the message; sets {@link #CLAIMED} and {@link #SEND}. */
    public void claimNext(Exchange exchange) {
        exchange.setProperty(CLAIMED, false);
        exchange.setProperty(SEND, false);
        exchange.getMessage().setBody(null);
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, kind, partner_reference, link_id, reminder_number, dropped_off_at, recipient FROM connect_mail
                 WHERE status = 'PENDING' AND COALESCE(next_attempt_at, due_at) <= now()
                 ORDER BY COALESCE(next_attempt_at, due_at), id LIMIT 1 FOR UPDATE SKIP LOCKED""");
        if (rows.isEmpty()) {
            return;
        }
        exchange.setProperty(CLAIMED, true);
        Map<String, Object> mail = rows.get(0);
        long id = ((Number) mail.get("id")).longValue();
        String ref = (String) mail.get("partner_reference");
        exchange.setProperty(MAIL_ID, id);
        String subject;
        String text;
        String recipient;
        if ("LINK".equals(mail.get("kind"))) {
            recipient = (String) mail.get("recipient");
            String url = jdbc.queryForObject("SELECT url FROM connect_link WHERE id = ?", String.class, mail.get("link_id"));
            Map<String, String> values = Map.of("partner_reference", ref, "url", url, "customer_email", recipient);
            subject = MailTemplates.render(template("connect-link-subject.txt"), values);
            text = MailTemplates.render(template("connect-link.txt"), values);
        } else {
            int number = ((Number) mail.get("reminder_number")).intValue();
            Timestamp droppedOffAt = (Timestamp) mail.get("dropped_off_at");
            Integer later = jdbc.queryForObject("""
                    SELECT count(*) FROM connect_mail WHERE partner_reference = ? AND kind = 'REMINDER' AND status = 'PENDING'
                       AND dropped_off_at = ? AND reminder_number > ? AND due_at <= now()""", Integer.class, ref, droppedOffAt, number);
            if (later > 0) {
                cancel(id, "SUPERSEDED: a later reminder of the same drop-off is due as well");
                return;
            }
            recipient = recipient(ref);
            if (recipient == null) {
                cancel(id, "NO_RECIPIENT: no Connect link with a customer_email for the reference and hub.onboarding.connect.reminders.default-to is blank");
                return;
            }
            String url = reminderUrl(ref);
            if (url == null) {
                fail(id, "no Connect link was issued for the reference and the configuration cannot build one (" + String.join(", ", properties.missingForLinks()) + ")");
                return;
            }
            Integer count = jdbc.queryForObject("SELECT max(reminder_number) FROM connect_mail WHERE partner_reference = ? AND kind = 'REMINDER' AND dropped_off_at = ?",
                    Integer.class, ref, droppedOffAt);
            Map<String, String> values = Map.of("partner_reference", ref, "url", url, "customer_email", recipient,
                    "reminder_number", String.valueOf(number), "reminder_count", String.valueOf(count),
                    "dropped_off_at", droppedOffAt.toInstant().toString());
            subject = MailTemplates.render(template("connect-reminder-subject.txt"), values);
            text = MailTemplates.render(template("connect-reminder.txt"), values);
        }
        exchange.setProperty(RECIPIENT, recipient);
        exchange.getMessage().setHeader("To", recipient);
        exchange.getMessage().setHeader("Subject", subject.trim());
        exchange.getMessage().setHeader("Content-Type", "text/plain; charset=UTF-8");
        exchange.getMessage().setBody(text);
        exchange.setProperty(SEND, true);
    }

    /** After the SMTP server accepted the mail (same transaction as the claim). */
    public void markSent(Exchange exchange) {
        long id = exchange.getProperty(MAIL_ID, Long.class);
        jdbc.update("""
                UPDATE connect_mail SET status = 'SENT', sent_at = now(), recipient = ?, attempts = attempts + 1, last_error = NULL,
                       next_attempt_at = NULL WHERE id = ?""", exchange.getProperty(RECIPIENT, String.class), id);
        log.info("Connect mail {} sent to the customer", id);
    }

    /** The SMTP server did not take the mail: retried later with back-off, FAILED after max-attempts. */
    public void markFailed(Exchange exchange) {
        long id = exchange.getProperty(MAIL_ID, Long.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        fail(id, cause == null ? "not sent" : cause.toString());
    }

    private void fail(long id, String error) {
        int attempts = jdbc.queryForObject("UPDATE connect_mail SET attempts = attempts + 1, last_error = ? WHERE id = ? RETURNING attempts",
                Integer.class, error, id);
        if (attempts >= properties.mail().maxAttempts()) {
            jdbc.update("UPDATE connect_mail SET status = 'FAILED', next_attempt_at = NULL WHERE id = ?", id);
            log.error("Connect mail {} FAILED after {} attempt(s): {}", id, attempts, error);
            return;
        }
        Duration delay = properties.mail().retryDelay().multipliedBy(1L << Math.min(20, attempts - 1));
        if (delay.compareTo(MAX_RETRY_DELAY) > 0) {
            delay = MAX_RETRY_DELAY;
        }
        jdbc.update("UPDATE connect_mail SET next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?", delay.toMillis() / 1000.0, id);
        log.warn("Connect mail {} not sent (attempt {} of {}), retried in {}: {}", id, attempts, properties.mail().maxAttempts(), delay, error);
    }

    private void cancel(long id, String reason) {
        jdbc.update("UPDATE connect_mail SET status = 'CANCELLED', cancelled_at = now(), cancelled_reason = ? WHERE id = ?", reason, id);
        log.info("Connect reminder {} not sent: {}", id, reason);
    }

    /** The customer's email from the newest link that had one, else the configured default. */
    private String recipient(String ref) {
        List<String> emails = jdbc.queryForList("""
                SELECT customer_email FROM connect_link WHERE partner_reference = ? AND customer_email IS NOT NULL ORDER BY id DESC LIMIT 1""",
                String.class, ref);
        return emails.isEmpty() ? properties.reminders().defaultTo() : emails.get(0);
    }

    /** The newest link issued for the reference, else one built from the configuration. */
    private String reminderUrl(String ref) {
        List<String> links = jdbc.queryForList("SELECT url FROM connect_link WHERE partner_reference = ? ORDER BY id DESC LIMIT 1", String.class, ref);
        if (!links.isEmpty()) {
            return links.get(0);
        }
        try {
            return urls.build(ref, List.of());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String template(String name) {
        return MailTemplates.read(properties.templatesDir(), name);
    }
}
