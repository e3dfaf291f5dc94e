package io.leapvpp.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * Lets a person read the mail the demo SMTP server captured, on the hub's own web server. Exists only
 * while {@code hub.demo.smtp.enabled=true}, so never in production.
 * <ul>
 *   <li>{@code GET /demo/mail}: HTML list (time, from, to, subject, links);</li>
 *   <li>{@code GET /demo/mail.json}: the same list as JSON, newest first;</li>
 *   <li>{@code GET /demo/mail/{id}}: the HTML body (sandboxed, no scripts) or else the headers and
 *       text body as text/plain;</li>
 *   <li>{@code GET /demo/mail/{id}/raw}: the whole {@code .eml} file as text/plain.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(prefix = "hub.demo.smtp", name = "enabled", havingValue = "true")
public class DemoMailController {

    /** Mail HTML is foreign content: no scripts, no network, its own origin. */
    static final String MAIL_HTML_POLICY =
            "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";
    private static final MediaType TEXT_HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final DemoMailbox mailbox;

    public DemoMailController(DemoMailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GetMapping(path = "/demo/mail.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<DemoMailbox.MailSummary> listJson() throws IOException {
        return mailbox.list();
    }

    @GetMapping("/demo/mail")
    public ResponseEntity<String> listPage() throws IOException {
        List<DemoMailbox.MailSummary> mails = mailbox.list();
        StringBuilder html = new StringBuilder(2048);
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Demo mail - leap-vpp-hub</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}
                th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
                th{background:#f4f4f4}td.time{white-space:nowrap;font-family:monospace}
                </style></head><body>
                <h1>Mail received by the demo SMTP server</h1>
                """);
        html.append("<p>").append(mails.size()).append(mails.size() == 1 ? " message" : " messages")
                .append(", newest first. Files: <code>").append(htmlEscape(mailbox.getDirectory().toAbsolutePath().toString()))
                .append("</code>. As JSON: <a href=\"mail.json\">mail.json</a>.</p>\n");
        html.append("<table><thead><tr><th>Received (UTC)</th><th>From</th><th>To</th><th>Subject</th><th>Source</th></tr></thead><tbody>\n");
        for (DemoMailbox.MailSummary mail : mails) {
            String link = "mail/" + htmlEscape(mail.id());
            String subject = mail.subject().isEmpty() ? "(no subject)" : mail.subject();
            html.append("<tr><td class=\"time\">").append(TIME.format(mail.receivedAt()))
                    .append("</td><td>").append(htmlEscape(mail.from()))
                    .append("</td><td>").append(htmlEscape(mail.to()))
                    .append("</td><td><a href=\"").append(link).append("\">").append(htmlEscape(subject))
                    .append("</a></td><td><a href=\"").append(link).append("/raw\">.eml</a></td></tr>\n");
        }
        html.append("</tbody></table></body></html>\n");
        return ResponseEntity.ok()
                .contentType(TEXT_HTML_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", PAGE_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .body(html.toString());
    }

    @GetMapping("/demo/mail/{id}")
    public ResponseEntity<String> show(@PathVariable String id) throws IOException, MessagingException {
        MimeMessage message = mailbox.message(id).orElseThrow(DemoMailController::notFound);
        Optional<String> html = firstText(message, "text/html");
        if (html.isPresent()) {
            return ResponseEntity.ok()
                    .contentType(TEXT_HTML_UTF8)
                    .cacheControl(CacheControl.noStore())
                    .header("Content-Security-Policy", MAIL_HTML_POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .body(html.get());
        }
        StringBuilder text = new StringBuilder();
        text.append("From: ").append(addresses(message.getFrom())).append('\n')
                .append("To: ").append(addresses(message.getRecipients(Message.RecipientType.TO))).append('\n');
        Address[] cc = message.getRecipients(Message.RecipientType.CC);
        if (cc != null) {
            text.append("Cc: ").append(addresses(cc)).append('\n');
        }
        text.append("Date: ").append(Optional.ofNullable(message.getHeader("Date", null)).orElse("")).append('\n')
                .append("Subject: ").append(Optional.ofNullable(message.getSubject()).orElse("")).append("\n\n")
                .append(firstText(message, "text/plain").orElse("(no text body; see the raw message)"));
        return plainText(text.toString());
    }

    @GetMapping("/demo/mail/{id}/raw")
    public ResponseEntity<String> raw(@PathVariable String id) throws IOException {
        return plainText(Files.readString(mailbox.file(id).orElseThrow(DemoMailController::notFound),
                StandardCharsets.UTF_8));
    }

    private static ResponseEntity<String> plainText(String body) {
        return ResponseEntity.ok()
                .contentType(TEXT_PLAIN_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .body(body);
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No such demo mail");
    }

    private static String addresses(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        return String.join(", ", Arrays.stream(addresses)
                .map(a -> a instanceof InternetAddress internet ? internet.toUnicodeString() : a.toString())
                .toList());
    }

    /** The first non-attachment part of the given type, depth first. */
    static Optional<String> firstText(Part part, String mimeType) throws MessagingException, IOException {
        if (part.isMimeType(mimeType) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            Object content = part.getContent();
            if (content instanceof String text) {
                return Optional.of(text);
            }
            try (InputStream in = part.getInputStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                Optional<String> found = firstText(multipart.getBodyPart(i), mimeType);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
