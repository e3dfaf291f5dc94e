package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.leap.LeapApiException;
import io.leapvpp.hub.leap.LeapClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against the Leap sandbox over HTTP: the sandbox pushes to the hub's receivers (end to end), the
 * polling backstop finds what was never pushed, and the webhook registration at start.
 */
class DispatchWithSandboxTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LeapClient leap;
    @Autowired
    ProducerTemplate camel;
    @Autowired
    DispatchProperties properties;
    @Autowired
    DispatchPoller poller;

    @AfterEach
    void noWebhooksLeftBehind() {
        deleteWebhooks();
    }

    private void deleteWebhooks() {
        for (Runnable delete : List.<Runnable>of(leap::deleteMeterDispatchWebhook, leap::deleteGroupDispatchWebhook)) {
            try {
                delete.run();
            } catch (LeapApiException e) {
                assertThat(e.status()).isEqualTo(404);
            }
        }
    }

    private JsonNode control(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl() + path))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            Reply reply = send(request);
            assertThat(reply.status()).as(path + ": " + reply.body()).isBetween(200, 299);
            return reply.json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> eventIds(JsonNode notification, String listField, String idField) {
        List<String> ids = new ArrayList<>();
        notification.path(listField).forEach(d -> d.path("timeslots").forEach(t -> ids.add(t.path(idField).asText())));
        return ids;
    }

    private int commandsFor(String eventId) {
        return jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?::uuid AND status = 'PENDING'", Integer.class, eventId);
    }

    private ObjectNode webhook(String path, String secret) {
        ObjectNode w = JSON.createObjectNode();
        w.put("url", "http://127.0.0.1:" + port + path);
        ObjectNode h = w.putArray("headers").addObject();
        h.put("name", "x-api-key");
        h.put("value", secret);
        return w;
    }

    @Test
    void aDispatchTriggeredInTheSandboxIsPushedToTheHubAndCommanded() throws Exception {
        leap.putMeterDispatchWebhook(webhook(METER_PATH, WEBHOOK_SECRET));
        leap.putGroupDispatchWebhook(webhook(GROUP_PATH, WEBHOOK_SECRET));

        JsonNode sent = control("/sandbox/dispatches/meter", Map.of("count", 2, "timeslots", 2, "start_offset", "PT2H"));
        assertThat(sent.path("delivered").asBoolean()).isTrue();
        List<String> events = eventIds(sent.path("notification"), "meter_dispatches", "meter_event_id");
        assertThat(events).hasSize(4);
        // a first push to a cold hub may miss the sandbox's scaled 10 s deadline (250 ms); Leap retries then,
        // and the retry is an exact repeat: either way the last attempt is a 200 and nothing is doubled
        JsonNode attempt = awaitDelivered(sent.path("delivery_id").asText());
        assertThat(attempt.path("success").asBoolean()).isTrue();
        assertThat(JSON.readTree(attempt.path("response_body").asText()).path("received").asInt()).isEqualTo(4);
        for (String event : events) {
            assertThat(commandsFor(event)).as("command for %s", event).isEqualTo(1);
        }

        // an update and a cancel through the sandbox: new versions, the cancel reaches the outbox
        String first = events.get(0);
        JsonNode update = control("/sandbox/dispatches/meter/" + first, Map.of("energy_kw", 42));
        awaitDelivered(update.path("delivery_id").asText());
        JsonNode cancel = control("/sandbox/dispatches/meter/" + first + "/cancel", Map.of());
        awaitDelivered(cancel.path("delivery_id").asText());
        assertThat(jdbc.queryForObject("SELECT state || ':' || version FROM dispatch_event WHERE event_id = ?::uuid", String.class, first))
                .isEqualTo("CANCELLED:3");
        assertThat(jdbc.queryForList("SELECT action FROM device_command WHERE event_id = ?::uuid AND status = 'PENDING'", String.class, first))
                .containsExactly("cancel");

        // a group dispatch: every member gets its command on its own topic
        JsonNode group = control("/sandbox/dispatches/group", Map.of("start_offset", "PT3H", "energy_kw", 90));
        awaitDelivered(group.path("delivery_id").asText());
        JsonNode g = group.path("notification").path("group_dispatches").get(0);
        String groupEvent = g.path("timeslots").get(0).path("market_group_event_id").asText();
        assertThat(commandsFor(groupEvent)).isEqualTo(g.path("meter_ids").size()).isPositive();
        assertThat(jdbc.queryForList("SELECT topic FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?::uuid", String.class, groupEvent))
                .allMatch(t -> t.matches("vpp/site-\\d+/commands"));
    }

    @Test
    void aSandboxIntegrationTestReachesTheHubAndIsRecordedWithoutCommand() {
        leap.putMeterDispatchWebhook(webhook(METER_PATH, WEBHOOK_SECRET));
        JsonNode attempt = control("/sandbox/integration-tests/meter", Map.of("start_offset", "PT2H"));
        assertThat(attempt.path("response_status").asInt()).as(attempt.toString()).isEqualTo(200);
        String event;
        try {
            event = JSON.readTree(attempt.path("body").asText()).findPath("meter_event_id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(event).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT test FROM dispatch_event WHERE event_id = ?::uuid", Boolean.class, event)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?::uuid", Integer.class, event)).isZero();
    }

    @Test
    void theSandboxWithAWrongSecretGets401AndKeepsRetrying() {
        leap.putMeterDispatchWebhook(webhook(METER_PATH, "not-the-secret"));
        JsonNode sent = control("/sandbox/dispatches/meter", Map.of("count", 1, "start_offset", "PT2H"));
        String deliveryId = sent.path("delivery_id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(control("/sandbox/deliveries?delivery_id=" + deliveryId, null).path("deliveries").size()).isGreaterThan(1));
        deleteWebhooks(); // stop the retries
        JsonNode first = control("/sandbox/deliveries?delivery_id=" + deliveryId, null).path("deliveries").get(0);
        assertThat(first.path("response_status").asInt()).isEqualTo(401);
        String event = eventIds(sent.path("notification"), "meter_dispatches", "meter_event_id").get(0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event WHERE event_id = ?::uuid", Integer.class, event)).isZero();
    }

    /** The delivery's last attempt, once it is a 200. */
    private JsonNode awaitDelivered(String deliveryId) {
        assertThat(deliveryId).isNotBlank();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode attempts = control("/sandbox/deliveries?delivery_id=" + deliveryId, null).path("deliveries");
            assertThat(attempts).isNotEmpty();
            last[0] = attempts.get(attempts.size() - 1);
            assertThat(last[0].path("response_status").asInt()).as(last[0].path("error").asText()).isEqualTo(200);
        });
        return last[0];
    }

    @Test
    void thePollingBackstopFindsDispatchesWhoseWebhookNeverArrived() {
        deleteWebhooks();
        JsonNode meter = control("/sandbox/dispatches/meter", Map.of("count", 2, "start_offset", "PT1H"));
        assertThat(meter.path("delivered").asBoolean()).as("no webhook registered: nothing pushed").isFalse();
        List<String> meterEvents = eventIds(meter.path("notification"), "meter_dispatches", "meter_event_id");
        JsonNode group = control("/sandbox/dispatches/group", Map.of("start_offset", "PT1H"));
        String groupEvent = group.path("notification").path("group_dispatches").get(0).path("timeslots").get(0)
                .path("market_group_event_id").asText();
        for (String e : meterEvents) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event WHERE event_id = ?::uuid", Integer.class, e)).isZero();
        }

        DispatchPoller.Totals totals = camel.requestBody("direct:dispatch-poll", null, DispatchPoller.Totals.class);

        assertThat(totals.created()).isGreaterThanOrEqualTo(3);
        for (String e : meterEvents) {
            assertThat(commandsFor(e)).as("command for %s", e).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT source FROM dispatch_event_version WHERE event_id = ?::uuid", String.class, e)).isEqualTo("POLL");
        }
        assertThat(commandsFor(groupEvent)).isPositive();

        // the next poll finds the same events and changes nothing
        long notifications = jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE source = 'POLL'", Long.class);
        DispatchPoller.Totals again = camel.requestBody("direct:dispatch-poll", null, DispatchPoller.Totals.class);
        assertThat(again.created()).isZero();
        assertThat(again.updated()).isZero();
        assertThat(again.commands()).isZero();
        assertThat(again.unchanged()).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE source = 'POLL'", Long.class)).isEqualTo(notifications);
        for (String e : meterEvents) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event_version WHERE event_id = ?::uuid", Integer.class, e)).isEqualTo(1);
        }
    }

    @Test
    void hubsSharingTheDatabaseTakeTurnsAtTheScheduledPoll() throws Exception {
        jdbc.update("UPDATE dispatch_poll_turn SET claimed_at = '-infinity'");
        assertThat(camel.requestBody("direct:dispatch-poll-turn", null, DispatchPoller.Totals.class)).as("the turn's poll").isNotNull();
        assertThat(jdbc.queryForObject("SELECT claimed_by FROM dispatch_poll_turn", String.class)).contains("@");
        assertThat(camel.requestBody("direct:dispatch-poll-turn", null, DispatchPoller.Totals.class))
                .as("polled less than min-gap ago: skipped").isNull();

        // eight hubs' schedules firing at the same moment: one polls
        jdbc.update("UPDATE dispatch_poll_turn SET claimed_at = '-infinity'");
        var claims = new ArrayList<java.util.concurrent.Future<Boolean>>();
        var start = new java.util.concurrent.CountDownLatch(1);
        var hubs = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                claims.add(hubs.submit(() -> {
                    start.await();
                    return poller.takeTurn();
                }));
            }
            start.countDown();
            int won = 0;
            for (var claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            hubs.shutdownNow();
        }

        jdbc.update("UPDATE dispatch_poll_turn SET claimed_at = now() - interval '61 seconds'");
        assertThat(poller.takeTurn()).as("min-gap (1 min) passed").isTrue();
    }

    @Test
    void registrationPutsTheHubsReceiversRefreshesThemAndLeavesAnotherUrlAlone() {
        deleteWebhooks();
        String base = properties.registration().publicBaseUrl();

        @SuppressWarnings("unchecked")
        Map<String, Object> outcomes = camel.requestBody("direct:dispatch-webhook-registration", null, Map.class);

        assertThat(outcomes).containsEntry("METER", DispatchWebhookRegistration.Outcome.REGISTERED)
                .containsEntry("GROUP", DispatchWebhookRegistration.Outcome.REGISTERED);
        JsonNode meter = leap.getMeterDispatchWebhook();
        assertThat(meter.path("url").asText()).isEqualTo(base + METER_PATH);
        assertThat(meter.path("headers").get(0).path("name").asText()).isEqualTo("x-api-key");
        assertThat(meter.path("headers").get(0).path("value").asText()).isEqualTo(WEBHOOK_SECRET);
        assertThat(leap.getGroupDispatchWebhook().path("url").asText()).isEqualTo(base + GROUP_PATH);

        assertThat(camel.requestBody("direct:dispatch-webhook-registration", null, Map.class))
                .containsEntry("METER", DispatchWebhookRegistration.Outcome.REFRESHED);

        ObjectNode other = JSON.createObjectNode();
        other.put("url", "https://other-system.example/dispatch");
        leap.putMeterDispatchWebhook(other);
        assertThat(camel.requestBody("direct:dispatch-webhook-registration", null, Map.class))
                .containsEntry("METER", DispatchWebhookRegistration.Outcome.KEPT_OTHER)
                .containsEntry("GROUP", DispatchWebhookRegistration.Outcome.REFRESHED);
        assertThat(leap.getMeterDispatchWebhook().path("url").asText()).isEqualTo("https://other-system.example/dispatch");

        // overwrite=true replaces it
        DispatchProperties overwrite = new DispatchProperties(properties.webhook(), properties.testNotifications(),
                properties.groupSplit(), properties.voluntaryPolicy(), properties.polling(),
                new DispatchProperties.Registration(false, base, true), properties.intake());
        assertThat(new DispatchWebhookRegistration(leap, overwrite, JSON).registerAll())
                .containsEntry("METER", DispatchWebhookRegistration.Outcome.OVERWROTE_OTHER);
        assertThat(leap.getMeterDispatchWebhook().path("url").asText()).isEqualTo(base + METER_PATH);
    }
}
