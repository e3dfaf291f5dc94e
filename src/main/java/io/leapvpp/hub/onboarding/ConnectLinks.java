package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * Issues Leap Connect links (issue 4 item 2): builds the URL ({@link ConnectUrls}), stores it in {@code connect_link}
 * (every link issued is kept) and, when the customer's email is given, queues the link mail in {@code connect_mail}
 * (sent by routes/42-connect-mails.camel.yaml). The same link asked again within
 * {@code hub.onboarding.connect.repeat-window} answers the first one without a second mail.
 */
@Component("connectLinks")
public class ConnectLinks {

    private static final Logger log = LoggerFactory.getLogger(ConnectLinks.class);
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ConnectUrls urls;
    private final ConnectProperties properties;
    private final ProducerTemplate producer;

    public ConnectLinks(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json,
                        ConnectProperties properties, ProducerTemplate producer) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.urls = new ConnectUrls(properties);
        this.properties = properties;
        this.producer = producer;
    }

    /** Where a link request came from: the API, or a line of a CSV file. */
    public record Origin(String source, String file, Integer line) {
        public static final Origin API = new Origin("API", null, null);

        public static Origin csv(String file, int line) {
            return new Origin("CSV", file, line);
        }
    }

    /**
     * The link issued (or the same one issued within the repeat window: {@code repeated}); {@code mailId} is the
     * queued link mail, null when no mail was asked for.
     */
    public record Issued(long linkId, String partnerReference, String url, String urlFormat, List<String> requestedUtilities,
                         String customerEmail, Long mailId, String mailStatus, Timestamp createdAt, boolean repeated) {
    }

    /** {@code POST /api/onboarding/connect-links} (route template hub-api): 201 with the link, 200 for a repeat. */
    public void create(Exchange exchange) {
        ConnectLinkRequest request;
        try {
            request = ConnectLinkRequest.fromJson(readBody(exchange));
        } catch (ConnectLinkRequest.Invalid e) {
            throw HttpRejection.badRequest(e.getMessage());
        }
        Issued issued = issueOrRefuse(request, Origin.API);
        HttpReplies.json(exchange, issued.repeated() ? 200 : 201, answer(issued).toString());
    }

    /**
     * Target of the Connect-links CSV inbox (routes/44-connect-link-batch): one row, one link, as the API would issue
     * it. A row the API would answer 400 is refused with the same reason ({@link CsvRowRejectedException}, stored with
     * its line by the inbox); a configuration that cannot build links fails the row (error policy, file in error/).
     */
    public void fromCsvRow(CsvRow row) {
        ConnectLinkRequest request;
        try {
            request = ConnectLinkRequest.of(row.value("partner_reference"), utilities(row.value("requested_utilities")),
                    row.value("customer_email"), sendEmail(row.value("send_email")));
            issue(request, Origin.csv(row.fileName(), row.line()));
        } catch (ConnectLinkRequest.Invalid e) {
            String field = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : "row";
            throw new CsvRowRejectedException("invalid-" + field.replace('_', '-'), e.getMessage() + " (" + row.where() + ")");
        } catch (HttpRejection e) {
            throw new IllegalStateException(e.detail());
        }
    }

    /** "PGE;SCE", "PGE, SCE" or "PGE SCE". */
    static List<String> utilities(String cell) {
        if (cell == null || cell.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(cell.split("[;,\\s]+")).filter(u -> !u.isBlank()).toList();
    }

    static boolean sendEmail(String cell) {
        if (cell == null || cell.isBlank()) {
            return true;
        }
        return switch (cell.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw new ConnectLinkRequest.Invalid("send_email: '" + cell + "' is not true or false");
        };
    }

    /** As {@link #issue} but a request the format cannot serve is a 400. */
    Issued issueOrRefuse(ConnectLinkRequest request, Origin origin) {
        try {
            return issue(request, origin);
        } catch (ConnectLinkRequest.Invalid e) {
            throw HttpRejection.badRequest(e.getMessage());
        }
    }

    /**
     * Stores the link (and queues its mail) in one transaction, then wakes the mail sender. Throws
     * {@link ConnectLinkRequest.Invalid} for what the configured format cannot say and {@link HttpRejection} 503 while
     * the configuration cannot build links.
     */
    public Issued issue(ConnectLinkRequest request, Origin origin) {
        String url = urls.build(request.partnerReference(), request.requestedUtilities());
        Issued issued = tx.execute(s -> store(request, url, origin));
        if (issued.repeated()) {
            log.info("Connect link for {} asked again within {}; answered the one issued at {} (link {})",
                    request.partnerReference(), properties.repeatWindow(), issued.createdAt().toInstant(), issued.linkId());
        } else {
            log.info("Connect link {} issued for {} ({}{})", issued.linkId(), request.partnerReference(), origin.source(),
                    issued.mailId() == null ? ", no mail" : ", mail queued");
        }
        if (issued.mailId() != null && !issued.repeated()) {
            ConnectMails.wake(producer);
        }
        return issued;
    }

    private Issued store(ConnectLinkRequest request, String url, Origin origin) {
        String ref = request.partnerReference();
        jdbc.update("INSERT INTO connect_session (partner_reference) VALUES (?) ON CONFLICT DO NOTHING", ref);
        // one link request per reference at a time, so a retried request finds the first one
        jdbc.queryForList("SELECT 1 FROM connect_session WHERE partner_reference = ? FOR UPDATE", ref);
        List<Map<String, Object>> earlier = jdbc.queryForList("""
                SELECT l.id, l.created_at, m.id AS mail_id, m.status AS mail_status FROM connect_link l
                  LEFT JOIN connect_mail m ON m.link_id = l.id AND m.kind = 'LINK'
                 WHERE l.partner_reference = ? AND l.url = ? AND l.customer_email IS NOT DISTINCT FROM ?
                   AND (m.id IS NOT NULL) = ? AND l.created_at > now() - make_interval(secs => ?)
                 ORDER BY l.id DESC LIMIT 1""",
                ref, url, request.customerEmail(), request.sendEmail(), (double) properties.repeatWindow().toMillis() / 1000.0);
        if (!earlier.isEmpty()) {
            Map<String, Object> e = earlier.get(0);
            return new Issued(((Number) e.get("id")).longValue(), ref, url, urls.format(), request.requestedUtilities(),
                    request.customerEmail(), e.get("mail_id") == null ? null : ((Number) e.get("mail_id")).longValue(),
                    (String) e.get("mail_status"), (Timestamp) e.get("created_at"), true);
        }
        Map<String, Object> link = jdbc.queryForMap("""
                INSERT INTO connect_link (partner_reference, url, url_format, requested_utilities, customer_email, source, source_file, source_line)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?) RETURNING id, created_at""",
                ref, url, urls.format(), toJson(request.requestedUtilities()), request.customerEmail(),
                origin.source(), origin.file(), origin.line());
        long linkId = ((Number) link.get("id")).longValue();
        Long mailId = null;
        if (request.sendEmail()) {
            mailId = jdbc.queryForObject("""
                    INSERT INTO connect_mail (kind, partner_reference, link_id, recipient, due_at) VALUES ('LINK', ?, ?, ?, now())
                    RETURNING id""", Long.class, ref, linkId, request.customerEmail());
        }
        jdbc.update("UPDATE connect_session SET updated_at = now() WHERE partner_reference = ?", ref);
        return new Issued(linkId, ref, url, urls.format(), request.requestedUtilities(), request.customerEmail(), mailId,
                mailId == null ? null : "PENDING", (Timestamp) link.get("created_at"), false);
    }

    ObjectNode answer(Issued issued) {
        ObjectNode o = json.createObjectNode();
        o.put("url", issued.url());
        o.put("partner_reference", issued.partnerReference());
        o.put("link_id", issued.linkId());
        o.put("url_format", issued.urlFormat());
        ArrayNode utilities = o.putArray("requested_utilities");
        issued.requestedUtilities().forEach(utilities::add);
        if (issued.customerEmail() != null) {
            o.put("customer_email", issued.customerEmail());
        }
        ObjectNode mail = o.putObject("email");
        if (issued.mailId() == null) {
            mail.put("status", "NOT_REQUESTED");
        } else {
            mail.put("mail_id", issued.mailId());
            mail.put("status", issued.mailStatus());
        }
        o.put("created_at", issued.createdAt().toInstant().toString());
        o.put("repeated", issued.repeated());
        return o;
    }

    private JsonNode readBody(Exchange exchange) {
        Long declared = exchange.getProperty(InboundHttp.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > MAX_BODY_BYTES) {
            throw HttpRejection.tooLarge("body of " + declared + " bytes exceeds the limit of " + MAX_BODY_BYTES + " bytes");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw HttpRejection.badRequest("body: empty, a JSON object {partner_reference, requested_utilities, customer_email} is expected");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw HttpRejection.tooLarge("body of " + body.length + " bytes exceeds the limit of " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
            throw HttpRejection.badRequest("body: malformed JSON (" + message + ")");
        }
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
