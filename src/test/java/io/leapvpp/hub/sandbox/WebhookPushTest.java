package io.leapvpp.hub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.sandbox.push.DeliveryAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pushing like Leap: lower-cased header names, time-scaled retry ladders, the 10 s deadline, search after push. */
class WebhookPushTest {

    private LeapSandbox sandbox;
    private TestReceiver receiver;
    private SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        // 1 Leap minute = 60 ms; the 10 s deadline scales to 10 ms and is therefore raised to the 250 ms floor
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withMeters(30).withTimeScale(0.001)).start();
        receiver = new TestReceiver();
        client = new SandboxClient(sandbox.baseUrl(), sandbox.settings().apiKey());
        assertThat(client.put("/v2/dispatch/meter/webhook", Map.of("url", receiver.url(),
                "headers", List.of(Map.of("name", "X-Partner-Secret", "value", "s3cret")))).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        sandbox.stop();
        receiver.close();
    }

    @Test
    void dispatchIsPushedWithLowerCasedHeaderNamesAndFoundBySearch() {
        JsonNode sent = client.post("/sandbox/dispatches/meter", Map.of("count", 2, "timeslots", 2, "energy_kw", 25)).json();
        assertThat(sent.path("delivered").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 1);

        DeliveryAttempt attempt = sandbox.state().deliveries().ofKind("meter-dispatch").get(0);
        assertThat(attempt.headers()).containsEntry("x-partner-secret", "s3cret");
        assertThat(attempt.headers().keySet()).allMatch(name -> name.equals(name.toLowerCase()));
        assertThat(receiver.received.get(0).headers().get("X-partner-secret")).containsExactly("s3cret");

        JsonNode pushed = SandboxClient.JSON.valueToTree(parse(receiver.received.get(0).body()));
        assertThat(pushed.path("integration_test_notification").asBoolean()).isFalse();
        assertThat(pushed.path("meter_dispatches")).hasSize(2);
        JsonNode slot = pushed.path("meter_dispatches").get(0).path("timeslots").get(1);
        String eventId = slot.path("meter_event_id").asText();

        Instant start = Instant.parse(slot.path("start_time").asText());
        JsonNode search = client.post("/v2/dispatch/meter/search", Map.of("start_date", start.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", start.plus(1, ChronoUnit.DAYS).toString(), "meter_event_ids", List.of(eventId))).json();
        assertThat(search.path("results")).hasSize(1);
        assertThat(search.path("results").get(0).path("timeslots").get(0).path("energy_kw").asDouble()).isEqualTo(25.0);
        assertThat(client.post("/v2/dispatch/meter/search", Map.of("start_date", start.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", start.plus(1, ChronoUnit.DAYS).toString())).json().path("results")).hasSize(2);

        // an update re-sends the same meter_event_id with new values; a cancel flips cancelled
        client.post("/sandbox/dispatches/meter/" + eventId, Map.of("energy_kw", 12.5, "priority", 3));
        client.post("/sandbox/dispatches/meter/" + eventId + "/cancel", Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 3);
        JsonNode cancel = SandboxClient.JSON.valueToTree(parse(receiver.received.get(2).body()));
        JsonNode cancelledSlot = cancel.path("meter_dispatches").get(0).path("timeslots").get(0);
        assertThat(cancelledSlot.path("meter_event_id").asText()).isEqualTo(eventId);
        assertThat(cancelledSlot.path("cancelled").asBoolean()).isTrue();
        assertThat(cancelledSlot.path("energy_kw").asDouble()).isEqualTo(12.5);
        JsonNode after = client.post("/v2/dispatch/meter/search", Map.of("start_date", start.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", start.plus(1, ChronoUnit.DAYS).toString(), "meter_event_ids", List.of(eventId))).json();
        assertThat(after.path("results").get(0).path("timeslots").get(0).path("cancelled").asBoolean()).isTrue();
    }

    @Test
    void nullEnergyIsPushedAsExplicitNull() {
        client.post("/sandbox/dispatches/meter", SandboxClient.JSON.createObjectNode().putNull("energy_kw").put("count", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 1);
        JsonNode slot = SandboxClient.JSON.valueToTree(parse(receiver.received.get(0).body()))
                .path("meter_dispatches").get(0).path("timeslots").get(0);
        assertThat(slot.has("energy_kw")).isTrue();
        assertThat(slot.get("energy_kw").isNull()).isTrue();
    }

    @Test
    void dispatchFailingTwiceIsRetriedEveryScaledMinuteUntilAccepted() {
        receiver.statusForCall = n -> n <= 2 ? 503 : 200;
        client.post("/sandbox/dispatches/meter", Map.of("count", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.state().deliveries().ofKind("meter-dispatch").stream().anyMatch(DeliveryAttempt::success));
        sleep(400); // no further attempts after success
        List<DeliveryAttempt> attempts = sandbox.state().deliveries().ofKind("meter-dispatch");
        assertThat(attempts).extracting(DeliveryAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(DeliveryAttempt::responseStatus).containsExactly(503, 503, 200);
        assertThat(attempts.get(0).maxAttempts()).isEqualTo(51);
        assertThat(attempts.get(0).error()).contains("503");
        assertThat(receiver.received).hasSize(3);
        long gap = Duration.between(attempts.get(0).sentAt(), attempts.get(1).sentAt()).toMillis();
        assertThat(gap).isBetween(55L, 2_000L);
    }

    @Test
    void platformEventsFollowTheScaledLadder() {
        receiver.statusForCall = n -> n <= 3 ? 500 : 204;
        client.post("/v1.1/webhooks", Map.of("receiver_url", receiver.url(), "event_types", List.of("meter.enrollment.global-status.updated")));
        String meterId = sandbox.state().meters().all().iterator().next().meterId().toString();
        client.post("/sandbox/meters/" + meterId + "/status", Map.of("global_enrollment_status", "INELIGIBLE"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.state().deliveries().ofKind("platform-event").size() == 4);
        List<DeliveryAttempt> attempts = sandbox.state().deliveries().ofKind("platform-event");
        assertThat(attempts.get(3).success()).isTrue();
        assertThat(attempts.get(0).maxAttempts()).isEqualTo(10);
        // ladder immediately, +1m, +2m, +4m scaled: 0, 60, 120, 240 ms
        long g1 = Duration.between(attempts.get(0).sentAt(), attempts.get(1).sentAt()).toMillis();
        long g3 = Duration.between(attempts.get(2).sentAt(), attempts.get(3).sentAt()).toMillis();
        assertThat(g1).isGreaterThanOrEqualTo(55L);
        assertThat(g3).isGreaterThanOrEqualTo(230L).isGreaterThan(g1);
        JsonNode event = SandboxClient.JSON.valueToTree(parse(attempts.get(3).body()));
        assertThat(event.path("payload").path("webhook_event_type").asText()).isEqualTo("meter.enrollment.global-status.updated");
        assertThat(event.path("payload").path("global_enrollment_status").asText()).isEqualTo("INELIGIBLE");
        assertThat(client.get("/v2/meters/" + meterId + "/enrollments").json().path("global_enrollment_status").asText()).isEqualTo("INELIGIBLE");
    }

    @Test
    void receiverSlowerThanTheDeadlineCountsAsFailure() {
        receiver.delayForCall = n -> n == 1 ? 1_000 : 0;
        client.post("/sandbox/dispatches/meter", Map.of("count", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.state().deliveries().ofKind("meter-dispatch").stream().anyMatch(DeliveryAttempt::success));
        List<DeliveryAttempt> attempts = sandbox.state().deliveries().ofKind("meter-dispatch");
        DeliveryAttempt first = attempts.get(0);
        assertThat(first.success()).isFalse();
        assertThat(first.error()).contains("no response within 250 ms");
        assertThat(first.latencyMs()).isBetween(240L, 900L);
        assertThat(attempts.get(attempts.size() - 1).attempt()).isGreaterThan(1);
    }

    @Test
    void integrationTestReportsTheReceiversAnswerAndIsNotASearchableDispatch() {
        receiver.statusForCall = n -> 202;
        String meterId = sandbox.state().meters().all().iterator().next().meterId().toString();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode answer = client.post("/v2/dispatch/meter/webhook/integration_test", Map.of("meter_dispatches",
                List.of(Map.of("meter_id", meterId, "timeslots", List.of(LeapSandboxConformanceTest.timeslot("meter_event_id", start)))))).json();
        assertThat(answer.path("http_status").asInt()).isEqualTo(202);
        assertThat(answer.path("body").asText()).contains("ok");
        JsonNode pushed = SandboxClient.JSON.valueToTree(parse(receiver.received.get(0).body()));
        assertThat(pushed.path("integration_test_notification").asBoolean()).isTrue();
        assertThat(client.post("/v2/dispatch/meter/search", Map.of("start_date", start.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", start.plus(1, ChronoUnit.DAYS).toString())).json().path("results")).isEmpty();
    }

    private static Object parse(String json) {
        try {
            return SandboxClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
