package io.leapvpp.hub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.sandbox.state.Meter;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /leap/webhooks/events over real HTTP into the real database, with the shared sandbox as Leap. */
class PlatformEventReceiverTest extends HubSpringTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Same value as config/application-test.yaml. */
    static final String SECRET = "test-events-SECRET-8c2d41";
    static final String PATH = "/leap/webhooks/events";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LeapClient leap;
    @Autowired
    ProducerTemplate producer;

    record Reply(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    Reply post(String body, String secret) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("x-api-key", secret);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static ObjectNode envelope(String type, Map<String, ?> fields) {
        ObjectNode e = JSON.createObjectNode();
        e.put("webhook_event_id", UUID.randomUUID().toString());
        ObjectNode p = e.putObject("payload");
        p.put("webhook_event_type", type);
        p.setAll((ObjectNode) JSON.valueToTree(fields));
        return e;
    }

    String outcomeEventually(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> o = jdbc.queryForList("SELECT outcome FROM platform_event WHERE webhook_event_id = ?::uuid AND processed_at IS NOT NULL",
                    String.class, id);
            if (!o.isEmpty()) {
                return o.get(0);
            }
            Thread.sleep(100);
        }
        return null;
    }

    int rejections(String detailPart) {
        return jdbc.queryForObject("SELECT count(*) FROM hub_rejected_input WHERE source = 'platform-event-webhook' AND detail LIKE ?",
                Integer.class, "%" + detailPart + "%");
    }

    static List<Meter> meters() {
        return HubTestEnvironment.sandbox().state().meters().all().stream().filter(m -> !m.archived()).skip(185).limit(3).toList();
    }

    @Test
    void eachOfTheSevenTypesIsAcceptedStoredAndProcessed() throws Exception {
        Meter m = meters().get(0);
        String meter = m.meterId().toString();
        Map<String, Map<String, ?>> events = Map.of(
                "connect_session.updated", Map.of("partner_reference", "site-pe-1", "status", "CREATED"),
                "connect_session.authorization_updated", Map.of("partner_reference", "site-pe-1", "utility_name", "PGE", "status", "INITIATED"),
                "meter.created", Map.of("meter_id", meter, "partner_reference", m.partnerReference(),
                        "transmission_region", m.transmissionRegion(), "meter_type", m.meterType()),
                "meter.enrollment.global-status.updated", Map.of("meter_id", meter, "transmission_region", m.transmissionRegion(),
                        "global_enrollment_status", m.globalEnrollmentStatus()),
                "meter.enrollment.participation-status.updated", Map.of("meter_id", meter, "transmission_region", m.transmissionRegion(),
                        "participation_preference", "PARTICIPATE", "start_time", "2025-01-01T00:00:00Z"),
                "meter.enrollment.required-actions.updated", Map.of("meter_id", meter, "transmission_region", m.transmissionRegion(),
                        "global_enrollment_status", m.globalEnrollmentStatus(), "required_actions", Map.of()),
                "meter.enrollment.group.updated", Map.of("market_group_id", UUID.randomUUID().toString(), "meter_ids", List.of()));
        for (var entry : events.entrySet()) {
            ObjectNode e = envelope(entry.getKey(), entry.getValue());
            String id = e.get("webhook_event_id").asText();
            Reply r = post(e.toString(), SECRET);
            assertThat(r.status()).as(entry.getKey() + ": " + r.body()).isEqualTo(200);
            assertThat(r.json().path("duplicate").asBoolean(true)).isFalse();
            // stored before the answer
            Map<String, Object> row = jdbc.queryForMap("SELECT event_type, payload::text AS payload FROM platform_event WHERE webhook_event_id = ?::uuid", id);
            assertThat(row.get("event_type")).isEqualTo(entry.getKey());
            assertThat(JSON.readTree((String) row.get("payload"))).isEqualTo(e);
            String outcome = outcomeEventually(id);
            assertThat(outcome).as(entry.getKey()).isNotNull();
            if (entry.getKey().startsWith("connect_session.")) {
                // applied to the Connect tracking (onboarding.ConnectSessionTrackingTest)
                assertThat(outcome).isEqualTo("APPLIED");
            } else {
                assertThat(outcome).as(entry.getKey()).isNotEqualTo("UNKNOWN_TYPE");
            }
        }
    }

    @Test
    void aGlobalStatusEventForASandboxMeterUpdatesTheInventory() throws Exception {
        Meter m = meters().get(1);
        String meter = m.meterId().toString();
        String newStatus = "INELIGIBLE".equals(m.globalEnrollmentStatus()) ? "ELIGIBLE" : "INELIGIBLE";
        // change the meter at Leap (the sandbox control API), then deliver the event it emitted
        HttpRequest change = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl() + "/sandbox/meters/" + meter + "/status"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("global_enrollment_status", newStatus)))).build();
        JsonNode event = JSON.readTree(HTTP.send(change, HttpResponse.BodyHandlers.ofString()).body()).path("event");
        assertThat(event.path("payload").path("webhook_event_type").asText()).isEqualTo("meter.enrollment.global-status.updated");

        assertThat(post(event.toString(), SECRET).status()).isEqualTo(200);

        assertThat(outcomeEventually(event.path("webhook_event_id").asText())).isEqualTo("APPLIED");
        assertThat(jdbc.queryForObject("SELECT global_enrollment_status FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meter))
                .isEqualTo(newStatus);
    }

    @Test
    void aDuplicateAnswers200AndChangesNothing() throws Exception {
        ObjectNode e = envelope("connect_session.updated", Map.of("partner_reference", "site-pe-dup", "status", "UPDATED"));
        String id = e.get("webhook_event_id").asText();
        assertThat(post(e.toString(), SECRET).status()).isEqualTo(200);
        assertThat(outcomeEventually(id)).isEqualTo("APPLIED");
        ObjectNode changed = e.deepCopy();
        ((ObjectNode) changed.get("payload")).put("status", "COMPLETED");
        Reply again = post(changed.toString(), SECRET);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT payload->'payload'->>'status' FROM platform_event WHERE webhook_event_id = ?::uuid", String.class, id))
                .isEqualTo("UPDATED");
        assertThat(jdbc.queryForObject("SELECT attempts FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class, id)).isEqualTo(1);
    }

    @Test
    void anUnknownTypeIsStoredNotRejected() throws Exception {
        ObjectNode e = envelope("meter.something-new", Map.of("x", 1));
        Reply r = post(e.toString(), SECRET);
        assertThat(r.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT event_type FROM platform_event WHERE webhook_event_id = ?::uuid", String.class,
                e.get("webhook_event_id").asText())).isEqualTo("meter.something-new");
        ObjectNode other = envelope("billing.whatever", Map.of());
        assertThat(post(other.toString(), SECRET).status()).isEqualTo(200);
        assertThat(outcomeEventually(other.get("webhook_event_id").asText())).isEqualTo("UNKNOWN_TYPE");
    }

    @Test
    void rejectionsAreClearAndStored() throws Exception {
        ObjectNode e = envelope("meter.created", Map.of("meter_id", UUID.randomUUID().toString()));
        Reply missing = post(e.toString(), null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().has("error")).isTrue();
        assertThat(post(e.toString(), "wrong").status()).isEqualTo(401);
        assertThat(post(e.toString(), "test-webhook-SECRET-5a1e0c").status()).as("the dispatch secret is not ours").isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class,
                e.get("webhook_event_id").asText())).isZero();

        Reply malformed = post("{\"webhook_event_id\": ", SECRET);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("detail").asText()).contains("malformed JSON");

        ObjectNode noId = e.deepCopy();
        noId.remove("webhook_event_id");
        Reply r = post(noId.toString(), SECRET);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("detail").asText()).startsWith("webhook_event_id");

        ObjectNode badId = e.deepCopy();
        badId.put("webhook_event_id", "not-a-uuid");
        assertThat(post(badId.toString(), SECRET).status()).isEqualTo(400);

        ObjectNode noType = e.deepCopy();
        ((ObjectNode) noType.get("payload")).remove("webhook_event_type");
        Reply t = post(noType.toString(), SECRET);
        assertThat(t.status()).isEqualTo(400);
        assertThat(t.json().path("detail").asText()).startsWith("payload.webhook_event_type");

        ObjectNode big = envelope("connect_session.updated", Map.of("pad", "x".repeat(1_100_000)));
        Reply tooLarge = post(big.toString(), SECRET);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().has("detail")).isTrue();

        assertThat(rejections("webhook_event_id: required")).isGreaterThanOrEqualTo(1);
        assertThat(rejections("payload.webhook_event_type")).isGreaterThanOrEqualTo(1);
        assertThat(rejections("malformed JSON")).isGreaterThanOrEqualTo(1);
        assertThat(rejections("exceeds the limit")).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hub_rejected_input WHERE source = 'platform-event-webhook' AND reason ILIKE '%unauthori%'",
                Integer.class)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theSandboxTestPushReachesTheHubAndIsAnswered200() throws Exception {
        String url = "http://127.0.0.1:" + port + PATH;
        String id = leap.createWebhook(Map.of("receiver_url", url, "event_types", List.of("connect_session.updated"),
                "headers", List.of(Map.of("name", "x-api-key", "value", SECRET)))).path("webhook_id").asText();
        try {
            JsonNode answer = leap.testWebhook(id, Map.of("webhook_event_type", "connect_session.updated",
                    "partner_reference", "site-pe-push", "status", "CLOSED"));
            assertThat(answer.path("is_successful").asBoolean()).as(answer.toString()).isTrue();
            assertThat(answer.path("status_code").asInt()).isEqualTo(200);

            HttpRequest deliveries = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl()
                    + "/sandbox/deliveries?kind=platform-event-test")).GET().build();
            JsonNode log = JSON.readTree(HTTP.send(deliveries, HttpResponse.BodyHandlers.ofString()).body()).path("deliveries");
            JsonNode ours = null;
            for (JsonNode d : log) {
                if (url.equals(d.path("url").asText()) && d.path("body").asText().contains("site-pe-push")) {
                    ours = d;
                }
            }
            assertThat(ours).as(log.toString()).isNotNull();
            assertThat(ours.path("response_status").asInt()).isEqualTo(200);
            String eventId = JSON.readTree(ours.path("body").asText()).path("webhook_event_id").asText();
            assertThat(jdbc.queryForObject("SELECT event_type FROM platform_event WHERE webhook_event_id = ?::uuid", String.class, eventId))
                    .isEqualTo("connect_session.updated");
        } finally {
            leap.deleteWebhook(id);
        }
    }

    JsonNode control(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aFailureLeavesTheEventRetryableAndItIsAppliedOnceLeapIsBack() throws Exception {
        Meter m = meters().get(2);
        String meter = m.meterId().toString();
        control("POST", "/sandbox/faults", Map.of("method", "GET", "path", "/v2/meters/" + meter + "/enrollments", "status", 503, "count", 1000));
        String id;
        try {
            ObjectNode e = envelope("meter.created", Map.of("meter_id", meter, "transmission_region", m.transmissionRegion()));
            id = e.get("webhook_event_id").asText();
            assertThat(post(e.toString(), SECRET).status()).as("stored and acknowledged whatever Leap does").isEqualTo(200);
            for (int i = 0; i < 100; i++) {
                Integer attempts = jdbc.queryForObject("SELECT attempts FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class, id);
                if (attempts >= 2) {
                    break;
                }
                Thread.sleep(100);
            }
            Map<String, Object> row = jdbc.queryForMap("SELECT attempts, processed_at FROM platform_event WHERE webhook_event_id = ?::uuid", id);
            assertThat((Integer) row.get("attempts")).as("retried after its lease").isGreaterThanOrEqualTo(2);
            assertThat(row.get("processed_at")).isNull();
        } finally {
            control("DELETE", "/sandbox/faults", null);
        }
        assertThat(outcomeEventually(id)).isEqualTo("APPLIED");
        assertThat(jdbc.queryForObject("SELECT partner_reference FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meter))
                .isEqualTo(m.partnerReference());
    }

    @Test
    void subscriptionReadModifyWriteKeepsWhatWasAlreadySubscribed() throws Exception {
        // config/application-test.yaml: public-base-url http://127.0.0.1:9 (nothing listens)
        String url = "http://127.0.0.1:9" + PATH;
        String id = leap.createWebhook(Map.of("receiver_url", url, "event_types", List.of("connect_session.updated"),
                "headers", List.of(Map.of("name", "x-partner-trace", "value", "keep-me")))).path("webhook_id").asText();
        try {
            Object outcome = producer.requestBody("direct:platform-events-subscription", (Object) "");
            assertThat(String.valueOf(outcome)).isEqualTo("UPDATED");
            JsonNode ours = null;
            int withOurUrl = 0;
            for (JsonNode w : leap.listWebhooks().path("webhooks")) {
                if (url.equals(w.path("receiver_url").asText())) {
                    ours = w;
                    withOurUrl++;
                }
            }
            assertThat(withOurUrl).isEqualTo(1);
            assertThat(ours.path("webhook_id").asText()).isEqualTo(id);
            List<String> types = JSON.convertValue(ours.path("event_types"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            assertThat(types).containsAll(PlatformEventReceiver.KNOWN_TYPES).hasSize(7);
            assertThat(ours.path("headers").toString()).contains("x-partner-trace", "keep-me", "x-api-key", SECRET);

            assertThat(String.valueOf(producer.requestBody("direct:platform-events-subscription", (Object) ""))).isEqualTo("UNCHANGED");
        } finally {
            leap.deleteWebhook(id);
        }
    }
}
