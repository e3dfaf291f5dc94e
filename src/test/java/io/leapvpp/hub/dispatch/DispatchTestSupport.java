package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds dispatch notifications as Leap sends them and posts them to the hub over real HTTP. */
final class DispatchTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Same values as config/application-test.yaml. */
    static final String WEBHOOK_SECRET = "test-webhook-SECRET-5a1e0c";
    static final String API_KEY = "test-api-SECRET-3f9b27";
    static final String METER_PATH = "/leap/webhooks/dispatch/meter";
    static final String GROUP_PATH = "/leap/webhooks/dispatch/group";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DispatchTestSupport() {
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static Reply post(int port, String path, String body, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("x-api-key", secret);
        }
        return send(b.build());
    }

    /** Without Content-Length (chunked), so the receiver must count what it reads. */
    static Reply postChunked(int port, String path, byte[] body, String secret) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("x-api-key", secret)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return send(request);
    }

    static Reply get(int port, String pathAndQuery, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET();
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return send(b.build());
    }

    static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        }
    }

    static Instant hoursFromNow(int hours) {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).plus(hours, ChronoUnit.HOURS);
    }

    /** A valid timeslot; tweak the returned node. */
    static ObjectNode timeslot(String idField, UUID eventId, Instant start) {
        ObjectNode t = JSON.createObjectNode();
        t.put(idField, eventId.toString());
        t.put("start_time", start.toString());
        t.put("end_time", start.plus(1, ChronoUnit.HOURS).toString());
        t.put("cancelled", false);
        t.put("energy_kw", 8.5);
        t.put("nomination_kw", 11.0);
        t.put("priority", 2);
        t.put("is_voluntary", false);
        t.put("performance_compensation_cap", "up-to-site-load");
        t.putArray("dispatch_event_types").add("day-ahead");
        t.putArray("programs").add("CCA");
        return t;
    }

    static ObjectNode meterNotification() {
        ObjectNode n = JSON.createObjectNode();
        n.put("integration_test_notification", false);
        n.put("communication_test", false);
        n.putArray("meter_dispatches");
        return n;
    }

    static ObjectNode addMeter(ObjectNode notification, UUID meterId, String partnerReference, ObjectNode... timeslots) {
        ObjectNode m = ((ArrayNode) notification.get("meter_dispatches")).addObject();
        m.put("meter_id", meterId.toString());
        if (partnerReference != null) {
            m.put("partner_reference", partnerReference);
        }
        ArrayNode slots = m.putArray("timeslots");
        for (ObjectNode t : timeslots) {
            slots.add(t);
        }
        return m;
    }

    /** One meter, one timeslot. */
    static ObjectNode single(UUID meterId, String partnerReference, ObjectNode timeslot) {
        ObjectNode n = meterNotification();
        addMeter(n, meterId, partnerReference, timeslot);
        return n;
    }

    static String ref() {
        return "site-t" + UUID.randomUUID().toString().substring(0, 8);
    }
}
