package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.demo.DemoMailbox;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** HTTP, mail and sandbox helpers of the onboarding tests: the hub, the SMTP server and the sandbox, all real. */
final class ConnectTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Same values as config/application-test.yaml. */
    static final String API_KEY = "test-api-SECRET-3f9b27";
    static final String EVENTS_SECRET = "test-events-SECRET-8c2d41";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectTestSupport() {
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** One mail as received: envelope recipients, subject, decoded text. */
    record Mail(List<String> to, String subject, String text) {
    }

    static String ref(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Reply send(String method, String url, String body, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static Reply postLink(int port, Object body) throws Exception {
        return send("POST", "http://127.0.0.1:" + port + "/api/onboarding/connect-links",
                body instanceof String s ? s : JSON.writeValueAsString(body), API_KEY);
    }

    static Reply session(int port, String ref) throws Exception {
        return send("GET", "http://127.0.0.1:" + port + "/api/onboarding/connect-sessions/" + ConnectUrls.encode(ref), null, API_KEY);
    }

    static JsonNode sandbox(String method, String path, Object body) throws Exception {
        Reply r = send(method, HubTestEnvironment.sandbox().baseUrl() + path, body == null ? null : JSON.writeValueAsString(body), null);
        if (r.status() >= 300) {
            throw new AssertionError("sandbox " + method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** Mails whose subject or text contains the marker, oldest first. */
    static List<Mail> mailsContaining(String marker) throws Exception {
        DemoMailbox mailbox = HubTestEnvironment.smtp().getMailbox();
        List<Mail> hits = new ArrayList<>();
        for (DemoMailbox.MailSummary summary : mailbox.list()) {
            MimeMessage message = mailbox.message(summary.id()).orElseThrow();
            String text = String.valueOf(message.getContent()).replace("\r\n", "\n");
            if (text.contains(marker) || String.valueOf(message.getSubject()).contains(marker)) {
                Address[] to = message.getRecipients(Message.RecipientType.TO);
                hits.add(new Mail(to == null ? List.of() : Arrays.stream(to).map(Address::toString).toList(), message.getSubject(), text));
            }
        }
        Collections.reverse(hits); // the mailbox lists newest first
        return hits;
    }
}
