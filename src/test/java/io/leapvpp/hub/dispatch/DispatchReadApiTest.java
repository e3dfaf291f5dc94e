package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/dispatch/events/{event_id} and /api/dispatch/events: 200, 404, 400, 401. */
class DispatchReadApiTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anEventShowsItsStateVersionsCommandsAndAcks() {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(3));
        post(port, METER_PATH, single(meter, ref(), slot).toString(), WEBHOOK_SECRET);
        slot.put("energy_kw", 20);
        post(port, METER_PATH, single(meter, ref(), slot).toString(), WEBHOOK_SECRET);
        String command = event + ":v2:" + meter;
        // what the device side writes when a gateway acks
        jdbc.update("UPDATE device_command SET status = 'ACCEPTED', publish_count = 1, sent_at = now(), acked_at = now() WHERE command_id = ?", command);
        jdbc.update("INSERT INTO device_ack (command_id, status, reason, at, raw) VALUES (?, 'accepted', null, now(), '{}'::jsonb)", command);

        Reply reply = get(port, "/api/dispatch/events/" + event, API_KEY);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode e = reply.json();
        assertThat(e.path("event_id").asText()).isEqualTo(event.toString());
        assertThat(e.path("state").asText()).isEqualTo("COMMANDED");
        assertThat(e.path("version").asInt()).isEqualTo(2);
        assertThat(e.path("energy_kw").decimalValue()).isEqualByComparingTo("20");
        assertThat(e.path("versions")).hasSize(2);
        assertThat(e.path("versions").get(0).path("timeslot").path("energy_kw").asDouble()).isEqualTo(8.5);
        assertThat(e.path("commands")).hasSize(2);
        JsonNode c2 = e.path("commands").get(1);
        assertThat(c2.path("command_id").asText()).isEqualTo(command);
        assertThat(c2.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(c2.path("publish_count").asInt()).isEqualTo(1);
        assertThat(c2.path("sent_at").asText()).endsWith("Z");
        assertThat(e.path("commands").get(0).path("status").asText()).isEqualTo("SUPERSEDED");
        assertThat(e.path("acks")).hasSize(1);
        assertThat(e.path("acks").get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(e.has("content_hash")).isFalse();
    }

    @Test
    void unknownEventsAre404AndBadIdsAre400() {
        Reply missing = get(port, "/api/dispatch/events/" + UUID.randomUUID(), API_KEY);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).isEqualTo("not_found");
        Reply bad = get(port, "/api/dispatch/events/not-a-uuid", API_KEY);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("detail").asText()).contains("event_id");
    }

    @Test
    void theApiKeyIsRequiredAndTheWebhookSecretIsNotIt() {
        for (String key : new String[]{null, "wrong", WEBHOOK_SECRET}) {
            assertThat(get(port, "/api/dispatch/events/" + UUID.randomUUID(), key).status()).as("key %s", key).isEqualTo(401);
            assertThat(get(port, "/api/dispatch/events?limit=1", key).status()).isEqualTo(401);
        }
        assertThat(get(port, "/api/dispatch/events?limit=1", API_KEY).status()).isEqualTo(200);
        // and the read key does not open the webhook
        assertThat(post(port, METER_PATH, "{}", API_KEY).status()).isEqualTo(401);
    }

    @Test
    void eventsAreListedByMeterAndWindowNewestFirst() {
        UUID meter = UUID.randomUUID();
        String ref = ref();
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        ObjectNode n = meterNotification();
        addMeter(n, meter, ref, timeslot("meter_event_id", early, hoursFromNow(2)), timeslot("meter_event_id", late, hoursFromNow(20)));
        addMeter(n, UUID.randomUUID(), ref(), timeslot("meter_event_id", other, hoursFromNow(2)));
        post(port, METER_PATH, n.toString(), WEBHOOK_SECRET);

        JsonNode all = get(port, "/api/dispatch/events?meter_id=" + meter, API_KEY).json();
        assertThat(all.path("count").asInt()).isEqualTo(2);
        assertThat(all.path("events").get(0).path("event_id").asText()).isEqualTo(late.toString());
        assertThat(all.path("events").get(1).path("event_id").asText()).isEqualTo(early.toString());

        String from = hoursFromNow(1).toString();
        String to = hoursFromNow(10).toString();
        JsonNode window = get(port, "/api/dispatch/events?meter_id=" + meter + "&from=" + from + "&to=" + to, API_KEY).json();
        assertThat(window.path("count").asInt()).isEqualTo(1);
        assertThat(window.path("events").get(0).path("event_id").asText()).isEqualTo(early.toString());

        assertThat(get(port, "/api/dispatch/events?limit=1", API_KEY).json().path("events")).hasSize(1);
    }

    @Test
    void badListParametersAre400() {
        assertThat(get(port, "/api/dispatch/events?meter_id=nope", API_KEY).status()).isEqualTo(400);
        assertThat(get(port, "/api/dispatch/events?from=yesterday", API_KEY).json().path("detail").asText()).startsWith("from:");
        assertThat(get(port, "/api/dispatch/events?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z", API_KEY).status()).isEqualTo(400);
        assertThat(get(port, "/api/dispatch/events?limit=501", API_KEY).status()).isEqualTo(400);
        assertThat(get(port, "/api/dispatch/events?limit=0", API_KEY).status()).isEqualTo(400);
        assertThat(get(port, "/api/dispatch/events?colour=red", API_KEY).status()).isEqualTo(400);
    }
}
