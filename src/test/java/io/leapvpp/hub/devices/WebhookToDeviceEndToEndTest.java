package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3's "done when", end to end over real protocols: a notification posted to the receiver with
 * the right header is answered 2xx, each of its meters gets the documented command on its topic, the
 * simulated gateway's ack comes back, and the read API shows the event ACCEPTED with its ack.
 */
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@org.springframework.test.annotation.DirtiesContext
class WebhookToDeviceEndToEndTest extends HubSpringTest {

    private static final String WEBHOOK_SECRET = "test-webhook-SECRET-5a1e0c";
    private static final String API_KEY = "test-api-SECRET-3f9b27";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDispatchWebhookBecomesCommandsOnEveryMetersTopicAndTheAcksComeBack() throws Exception {
        String siteA = "site-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String siteB = "site-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        UUID meterA = UUID.randomUUID();
        UUID meterB = UUID.randomUUID();
        UUID eventA1 = UUID.randomUUID();
        UUID eventA2 = UUID.randomUUID();
        UUID eventB = UUID.randomUUID();
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
        String body = """
                {"integration_test_notification": false, "communication_test": false,
                 "meter_dispatches": [
                   {"meter_id": "%s", "partner_reference": "%s", "timeslots": [%s, %s]},
                   {"meter_id": "%s", "partner_reference": "%s", "timeslots": [%s]}]}
                """.formatted(meterA, siteA, timeslot(eventA1, start, "8.5"), timeslot(eventA2, start.plus(1, ChronoUnit.HOURS), "null"),
                meterB, siteB, timeslot(eventB, start, "120.25"));

        try (SimulatedDevice gatewayA = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + siteA + "/commands").answering(c -> "accepted");
             SimulatedDevice gatewayB = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + siteB + "/commands").answering(c -> "accepted")) {

            HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leap/webhooks/dispatch/meter"))
                    .header("Content-Type", "application/json").header("x-api-key", WEBHOOK_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ack.statusCode()).isEqualTo(200);

            List<SimulatedDevice.Received> toA = gatewayA.await("/commands", 2, Duration.ofSeconds(15));
            List<SimulatedDevice.Received> toB = gatewayB.await("/commands", 1, Duration.ofSeconds(15));
            assertThat(toA).hasSize(2);
            assertThat(toB).hasSize(1);

            for (SimulatedDevice.Received command : List.of(toA.get(0), toA.get(1), toB.get(0))) {
                JsonNode json = command.json();
                ContractSchemas.assertValid("command.schema.json", json);
                assertThat(command.qos()).isEqualTo(1);
                assertThat(json.path("action").asText()).isEqualTo("schedule");
                assertThat(new String(command.properties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo(json.path("command_id").asText());
                assertThat(command.properties().getResponseTopic()).isEqualTo(command.topic().replace("/commands", "/acks"));
                assertThat(command.properties().getMessageExpiryInterval()).isPositive();
            }
            JsonNode first = toA.stream().map(SimulatedDevice.Received::json)
                    .filter(j -> j.path("meter_event_id").asText().equals(eventA1.toString())).findFirst().orElseThrow();
            assertThat(first.path("meter_id").asText()).isEqualTo(meterA.toString());
            assertThat(first.path("partner_reference").asText()).isEqualTo(siteA);
            assertThat(first.path("target_kw").asDouble()).isEqualTo(8.5);
            assertThat(first.path("start_time").asText()).isEqualTo(start.toString());
            JsonNode maximum = toA.stream().map(SimulatedDevice.Received::json)
                    .filter(j -> j.path("meter_event_id").asText().equals(eventA2.toString())).findFirst().orElseThrow();
            assertThat(maximum.has("target_kw") && maximum.get("target_kw").isNull()).as("null = dispatch the maximum").isTrue();
            assertThat(toB.get(0).json().path("target_kw").asDouble()).isEqualTo(120.25);

            for (UUID event : List.of(eventA1, eventA2, eventB)) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    JsonNode view = JSON.readTree(get("/api/dispatch/events/" + event).body());
                    assertThat(view.toString()).contains("ACCEPTED");
                    assertThat(view.path("acks")).isNotEmpty();
                });
            }
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("x-api-key", API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String timeslot(UUID eventId, Instant start, String energyKw) {
        return """
                {"meter_event_id": "%s", "start_time": "%s", "end_time": "%s", "cancelled": false,
                 "energy_kw": %s, "nomination_kw": 150.0, "priority": 2, "is_voluntary": false,
                 "performance_compensation_cap": "up-to-site-load", "dispatch_event_types": ["day-ahead"], "programs": ["CCA"]}
                """.formatted(eventId, start, start.plus(1, ChronoUnit.HOURS), energyKw);
    }
}
