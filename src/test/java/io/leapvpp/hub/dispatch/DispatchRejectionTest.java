package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What the receivers refuse: 401, 400 naming the field, 413; each refusal kept in hub_rejected_input, nothing stored as an event. */
class DispatchRejectionTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private long lastRejectionId() {
        Long id = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM hub_rejected_input", Long.class);
        return id == null ? 0 : id;
    }

    private Map<String, Object> rejectionAfter(long id) {
        return jdbc.queryForMap("SELECT * FROM hub_rejected_input WHERE id > ? ORDER BY id LIMIT 1", id);
    }

    private void assertNoEvent(UUID event) {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event WHERE event_id = ?", Integer.class, event)).isZero();
    }

    @Test
    void aWrongOrMissingSecretIs401AndKept() {
        UUID event = UUID.randomUUID();
        String body = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", event, hoursFromNow(2))).toString();
        for (String secret : new String[]{"wrong-key", null, WEBHOOK_SECRET + "x", API_KEY}) {
            long before = lastRejectionId();
            Reply reply = post(port, METER_PATH, body, secret);
            assertThat(reply.status()).as("secret %s", secret).isEqualTo(401);
            assertThat(reply.json().path("error").asText()).isEqualTo("unauthorized");
            assertThat(reply.json().path("detail").asText()).contains("x-api-key");
            Map<String, Object> r = rejectionAfter(before);
            assertThat(r.get("source")).isEqualTo("dispatch-webhook-meter");
            assertThat(r.get("reason")).isEqualTo("unauthorized");
            assertThat(r.get("remote_address")).isEqualTo("127.0.0.1");
            assertThat(r.get("body").toString()).contains(event.toString());
        }
        assertThat(post(port, GROUP_PATH, "{}", "wrong").status()).isEqualTo(401);
        assertNoEvent(event);
    }

    @Test
    void malformedJsonIs400AndKept() {
        long before = lastRejectionId();
        Reply reply = post(port, METER_PATH, "{\"meter_dispatches\": [ {\"meter_id\": ", WEBHOOK_SECRET);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().path("detail").asText()).startsWith("malformed JSON");
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at io.");
        Map<String, Object> r = rejectionAfter(before);
        assertThat(r.get("reason")).isEqualTo("invalid_request");
        assertThat(r.get("body")).isEqualTo("{\"meter_dispatches\": [ {\"meter_id\": ");
        assertThat(r.get("body_truncated")).isEqualTo(false);
    }

    @Test
    void aBodySentAsAFormIsReadAsItIsAndRefusedLikeAnyMalformedBody() {
        long before = lastRejectionId();
        Reply reply = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + METER_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").header("x-api-key", WEBHOOK_SECRET)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("meter_dispatches=1&x=%7B")).build());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().path("detail").asText()).startsWith("malformed JSON");
        assertThat(rejectionAfter(before).get("body")).isEqualTo("meter_dispatches=1&x=%7B");
    }

    @Test
    void aMissingRequiredFieldIs400NamingTheField() {
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(2));
        slot.remove("priority");
        long before = lastRejectionId();
        Reply reply = post(port, METER_PATH, single(UUID.randomUUID(), ref(), slot).toString(), WEBHOOK_SECRET);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("detail").asText()).isEqualTo("meter_dispatches[0].timeslots[0].priority: required field is missing");
        assertThat(rejectionAfter(before).get("detail").toString()).contains("priority");
        assertNoEvent(event);

        assertThat(post(port, METER_PATH, "{\"integration_test_notification\": false}", WEBHOOK_SECRET).json().path("detail").asText())
                .isEqualTo("meter_dispatches: required field is missing");
        assertThat(post(port, GROUP_PATH, "{\"group_dispatches\": [{\"market_group_id\": \"" + UUID.randomUUID() + "\", \"timeslots\": []}]}",
                WEBHOOK_SECRET).json().path("detail").asText()).isEqualTo("group_dispatches[0].meter_ids: required field is missing");
    }

    @Test
    void wrongTypesAndRangesAre400NamingTheProblem() {
        record Case(String field, Object value, String expected) {
        }
        Case[] cases = {
                new Case("priority", 11, "timeslots[0].priority: must be an integer from 1 to 10"),
                new Case("priority", "2", "timeslots[0].priority: must be an integer from 1 to 10"),
                new Case("energy_kw", 0.001, "timeslots[0].energy_kw: must be a number from 0.01 to 100000"),
                new Case("energy_kw", 100000.5, "timeslots[0].energy_kw: must be a number from 0.01 to 100000"),
                new Case("energy_kw", "8", "timeslots[0].energy_kw: must be a number"),
                new Case("start_time", "yesterday", "timeslots[0].start_time: must be an ISO-8601 date-time"),
                new Case("cancelled", "false", "timeslots[0].cancelled: must be true or false"),
                new Case("meter_event_id", "not-a-uuid", "timeslots[0].meter_event_id: must be a UUID"),
                new Case("programs", "CCA", "timeslots[0].programs: must be an array of strings"),
        };
        for (Case c : cases) {
            UUID event = UUID.randomUUID();
            ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(2));
            slot.set(c.field(), JSON.valueToTree(c.value()));
            Reply reply = post(port, METER_PATH, single(UUID.randomUUID(), ref(), slot).toString(), WEBHOOK_SECRET);
            assertThat(reply.status()).as(c.toString()).isEqualTo(400);
            assertThat(reply.json().path("detail").asText()).as(c.toString()).contains(c.expected());
            assertNoEvent(event);
        }
        ObjectNode n = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", UUID.randomUUID(), hoursFromNow(2)));
        n.withArray("meter_dispatches").get(0).withObject("/unknown_future_field").put("x", 1);
        n.put("another_unknown", true);
        assertThat(post(port, METER_PATH, n.toString(), WEBHOOK_SECRET).status()).as("unknown fields are tolerated").isEqualTo(200);
        ObjectNode backwards = timeslot("meter_event_id", UUID.randomUUID(), hoursFromNow(2));
        backwards.put("end_time", hoursFromNow(1).toString());
        assertThat(post(port, METER_PATH, single(UUID.randomUUID(), ref(), backwards).toString(), WEBHOOK_SECRET).json().path("detail").asText())
                .contains("end_time: must be after start_time");
    }

    @Test
    void anOversizedBodyIs413WithOrWithoutContentLengthAndKeptCapped() {
        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        long before = lastRejectionId();
        Reply reply = post(port, METER_PATH, new String(big, StandardCharsets.UTF_8), WEBHOOK_SECRET);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("error").asText()).isEqualTo("payload_too_large");
        Map<String, Object> r = rejectionAfter(before);
        assertThat(r.get("body_bytes")).isEqualTo(big.length);
        assertThat(r.get("body_truncated")).isEqualTo(true);

        before = lastRejectionId();
        Reply chunked = postChunked(port, METER_PATH, big, WEBHOOK_SECRET);
        assertThat(chunked.status()).isEqualTo(413);
        Map<String, Object> r2 = rejectionAfter(before);
        assertThat(r2.get("body_truncated")).isEqualTo(true);
        assertThat(r2.get("body").toString()).hasSize(64 * 1024);
    }

    @Test
    void incomingHeadersAreNotEchoedBack() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + METER_PATH))
                        .header("x-api-key", WEBHOOK_SECRET).header("Content-Type", "application/json")
                        .header("X-Forwarded-Evil", "1")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                single(UUID.randomUUID(), ref(), timeslot("meter_event_id", UUID.randomUUID(), hoursFromNow(2))).toString()))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-api-key") || h.equalsIgnoreCase("X-Forwarded-Evil"));
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }
}
