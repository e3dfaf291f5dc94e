package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.leap.LeapClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.onboarding.ConnectTestSupport.JSON;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.mailsContaining;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.postLink;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.ref;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.sandbox;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.send;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connect tracking and reminders end to end: customers go through Connect in the sandbox, which pushes Leap's
 * connect_session.* (and meter.created) events to the hub's platform-event receiver over HTTP; the hub keeps the
 * history, detects drop-offs and mails reminders through the real SMTP server. Cadence of the test profile: inactivity
 * 3 s, reminders 4 s, 6 s and 8 s after the drop-off.
 */
class ConnectSessionTrackingTest extends HubSpringTest {

    static final List<Duration> OFFSETS = List.of(Duration.ofSeconds(4), Duration.ofSeconds(6), Duration.ofSeconds(8));

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LeapClient leap;
    @Autowired
    ProducerTemplate producer;

    static String webhookId;

    @BeforeEach
    void subscribeTheHubAtTheSandbox() {
        if (webhookId == null) {
            webhookId = leap.createWebhook(Map.of("receiver_url", "http://127.0.0.1:" + port + "/leap/webhooks/events",
                    "event_types", List.of("connect_session.updated", "connect_session.authorization_updated", "meter.created"),
                    "headers", List.of(Map.of("name", "x-api-key", "value", ConnectTestSupport.EVENTS_SECRET)))).path("webhook_id").asText();
        }
    }

    @AfterAll
    static void unsubscribe() throws Exception {
        if (webhookId != null) {
            HttpRequest delete = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl() + "/v1.1/webhooks/" + webhookId))
                    .header("Authorization", "Bearer " + HubTestEnvironment.LEAP_API_KEY).DELETE().build();
            ConnectTestSupport.HTTP.send(delete, HttpResponse.BodyHandlers.discarding());
            webhookId = null;
        }
    }

    /** Waits until the hub applied (or refused) as many events of the reference. */
    void awaitEvents(String ref, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM connect_session_event WHERE partner_reference = ?", Integer.class, ref) >= count);
    }

    JsonNode step(String ref, String action, Object body, int eventsSoFar) throws Exception {
        JsonNode answer = action == null ? sandbox("POST", "/sandbox/connect-sessions", body)
                : sandbox("POST", "/sandbox/connect-sessions/" + ConnectUrls.encode(ref) + "/" + action, body == null ? Map.of() : body);
        awaitEvents(ref, eventsSoFar);
        return answer;
    }

    List<Map<String, Object>> reminders(String ref) {
        return jdbc.queryForList("""
                SELECT reminder_number, status, due_at, dropped_off_at, drop_off_reason, sent_at, cancelled_reason, recipient
                  FROM connect_mail WHERE partner_reference = ? AND kind = 'REMINDER' ORDER BY reminder_number""", ref);
    }

    @Test
    void aSandboxSessionProgressesAndTheHubKeepsItsHistory() throws Exception {
        String ref = ref("site-journey");
        JsonNode started = step(ref, null, Map.of("partner_reference", ref), 1);
        assertThat(started.path("events").get(0).path("payload").path("status").asText()).isEqualTo("CREATED");
        step(ref, "advance", null, 2);
        step(ref, "authorize", Map.of("utility_name", "SCE", "status", "INITIATED"), 3);
        step(ref, "authorize", Map.of("utility_name", "SCE", "status", "COMPLETED"), 4);
        step(ref, "complete", null, 5);

        Map<String, Object> s = jdbc.queryForMap("SELECT * FROM connect_session WHERE partner_reference = ?", ref);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("session_number")).isEqualTo(1);
        assertThat(s.get("completed_at")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT status FROM connect_authorization WHERE partner_reference = ? AND utility_name = 'SCE'",
                String.class, ref)).isEqualTo("COMPLETED");
        List<Map<String, Object>> events = jdbc.queryForList(
                "SELECT webhook_event_type, status, outcome FROM connect_session_event WHERE partner_reference = ? ORDER BY event_at", ref);
        assertThat(events).extracting(e -> e.get("status")).containsExactly("CREATED", "UPDATED", "INITIATED", "COMPLETED", "COMPLETED");
        assertThat(events).extracting(e -> e.get("outcome")).containsOnly("APPLIED");
        // the platform-event processor recorded the outcome of each
        assertThat(jdbc.queryForList("""
                SELECT outcome FROM platform_event WHERE webhook_event_id IN (SELECT webhook_event_id FROM connect_session_event
                 WHERE partner_reference = ?)""", String.class, ref)).hasSize(5).containsOnly("APPLIED");

        ConnectTestSupport.Reply r = session(port, ref);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("partner_reference").asText()).isEqualTo(ref);
        assertThat(body.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(body.path("completed").asBoolean()).isTrue();
        assertThat(body.path("last_interaction_date_time_utc").asText()).isNotBlank();
        assertThat(body.path("authorizations")).hasSize(1);
        assertThat(body.path("authorizations").get(0).path("utility_name").asText()).isEqualTo("SCE");
        assertThat(body.path("authorizations").get(0).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(body.path("events")).hasSize(5);
        assertThat(body.path("events").get(0).path("webhook_event_type").asText()).isEqualTo("connect_session.updated");
        assertThat(body.path("events").get(0).path("webhook_event_id").asText()).isEqualTo(
                started.path("events").get(0).path("webhook_event_id").asText());
        assertThat(body.path("reminders")).isEmpty();
    }

    @Test
    void duplicateAndOutOfOrderEventsNeverOverwriteNewerState() throws Exception {
        String ref = ref("site-order");
        ObjectNode created = envelope("connect_session.updated", ref, "CREATED", null);
        ObjectNode updated = envelope("connect_session.updated", ref, "UPDATED", null);
        ObjectNode completed = envelope("connect_session.updated", ref, "COMPLETED", null);
        for (ObjectNode e : List.of(created, updated, completed)) {
            assertThat(deliver(e).status()).isEqualTo(200);
            awaitOutcome(e);
        }
        // Leap delivers UPDATED again (its ack was lost): the same webhook_event_id changes nothing
        ConnectTestSupport.Reply again = deliver(updated);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(producer.requestBody("direct:connect-session-apply", updated.toString(), JsonNode.class).path("outcome").asText())
                .isEqualTo("DUPLICATE");
        // a late UPDATED of the same session (a retry that arrives after the COMPLETED): kept, STALE
        ObjectNode lateUpdate = envelope("connect_session.updated", ref, "UPDATED", null);
        deliver(lateUpdate);
        assertThat(awaitOutcome(lateUpdate)).isEqualTo("STALE");
        // an event received earlier but processed later (a failed attempt retried after its lease): older, STALE
        ObjectNode early = envelope("connect_session.updated", ref, "CLOSED", null);
        jdbc.update("INSERT INTO platform_event (webhook_event_id, event_type, payload, received_at, processed_at) VALUES (?, ?, ?::jsonb, ?, now())",
                UUID.fromString(early.path("webhook_event_id").asText()), "connect_session.updated", early.toString(),
                Timestamp.from(jdbc.queryForObject("SELECT status_event_at FROM connect_session WHERE partner_reference = ?", Timestamp.class, ref)
                        .toInstant().minusSeconds(30)));
        JsonNode result = producer.requestBody("direct:connect-session-apply", early.toString(), JsonNode.class);
        assertThat(result.path("outcome").asText()).isEqualTo("STALE");
        assertThat(result.path("reason").asText()).startsWith("older than the current status COMPLETED");

        // authorizations: COMPLETED is final for the utility; an older or later INITIATED does not undo it
        ObjectNode authorized = envelope("connect_session.authorization_updated", ref, "COMPLETED", "PGE");
        deliver(authorized);
        assertThat(awaitOutcome(authorized)).isEqualTo("APPLIED");
        ObjectNode initiated = envelope("connect_session.authorization_updated", ref, "INITIATED", "PGE");
        deliver(initiated);
        assertThat(awaitOutcome(initiated)).isEqualTo("STALE");

        Map<String, Object> s = jdbc.queryForMap("SELECT status, status_event_id, session_number FROM connect_session WHERE partner_reference = ?", ref);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("status_event_id").toString()).isEqualTo(completed.path("webhook_event_id").asText());
        assertThat(s.get("session_number")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM connect_authorization WHERE partner_reference = ?", String.class, ref)).isEqualTo("COMPLETED");
        assertThat(reminders(ref)).as("CLOSED was stale: no drop-off").isEmpty();

        JsonNode history = session(port, ref).json().path("events");
        assertThat(history).hasSize(7);
        assertThat(history.findValuesAsText("outcome")).containsExactly("STALE", "APPLIED", "APPLIED", "APPLIED", "STALE", "APPLIED", "STALE");
        assertThat(history.get(0).path("status").asText()).isEqualTo("CLOSED");

        // a new session starts with CREATED, also after a COMPLETED one
        ObjectNode second = envelope("connect_session.updated", ref, "CREATED", null);
        deliver(second);
        assertThat(awaitOutcome(second)).isEqualTo("APPLIED");
        assertThat(jdbc.queryForObject("SELECT session_number FROM connect_session WHERE partner_reference = ?", Integer.class, ref)).isEqualTo(2);
    }

    @Test
    void eventsLeapWouldNeverSendAreRefusedAndKept() throws Exception {
        ObjectNode bad = envelope("connect_session.updated", "ab", "CREATED", null);
        deliver(bad);
        assertThat(awaitOutcome(bad)).isEqualTo("REJECTED");
        ObjectNode badStatus = envelope("connect_session.updated", ref("site-bad"), "FINISHED", null);
        deliver(badStatus);
        assertThat(awaitOutcome(badStatus)).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hub_rejected_input WHERE source = 'connect-session-event' AND body LIKE ?",
                Integer.class, "%" + badStatus.path("webhook_event_id").asText() + "%")).isEqualTo(1);
    }

    @Test
    void aDropOffSchedulesRemindersAtTheConfiguredOffsetsAndTheyAreMailed() throws Exception {
        String ref = ref("site-dropoff");
        assertThat(postLink(port, Map.of("partner_reference", ref, "customer_email", "dropoff@customer.example", "send_email", false)).status())
                .isEqualTo(201);
        step(ref, null, Map.of("partner_reference", ref), 1);
        step(ref, "advance", null, 2);
        step(ref, "close", null, 3);

        Timestamp closedAt = jdbc.queryForObject("SELECT event_at FROM connect_session_event WHERE partner_reference = ? AND status = 'CLOSED'",
                Timestamp.class, ref);
        List<Map<String, Object>> scheduled = reminders(ref);
        assertThat(scheduled).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> r = scheduled.get(i);
            assertThat(r.get("drop_off_reason")).isEqualTo("SESSION_CLOSED");
            assertThat(r.get("dropped_off_at")).isEqualTo(closedAt);
            assertThat(Duration.between(closedAt.toInstant(), ((Timestamp) r.get("due_at")).toInstant())).isEqualTo(OFFSETS.get(i));
        }

        await().atMost(Duration.ofSeconds(25)).until(() -> mailsContaining(ref).size() >= 3);
        List<ConnectTestSupport.Mail> mails = mailsContaining(ref);
        assertThat(mails).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(mails.get(i).to()).containsExactly("dropoff@customer.example");
            assertThat(mails.get(i).subject()).startsWith("Reminder: finish connecting");
            assertThat(mails.get(i).text()).contains("https://onboarding.leap.energy/test-partner/ci-utilities/?refId=" + ref)
                    .contains("Reminder " + (i + 1) + " of 3");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> reminders(ref).stream().allMatch(r -> "SENT".equals(r.get("status"))));
        for (Map<String, Object> r : reminders(ref)) {
            assertThat(((Timestamp) r.get("sent_at")).toInstant()).isAfterOrEqualTo(((Timestamp) r.get("due_at")).toInstant());
            assertThat(r.get("recipient")).isEqualTo("dropoff@customer.example");
        }

        JsonNode read = session(port, ref).json();
        assertThat(read.path("status").asText()).isEqualTo("CLOSED");
        assertThat(read.path("drop_off_reason").asText()).isEqualTo("SESSION_CLOSED");
        assertThat(read.path("reminders")).hasSize(3);
        assertThat(read.path("reminders").findValuesAsText("status")).containsOnly("SENT");
        assertThat(read.path("reminders").get(0).path("due_at").asText()).isEqualTo(((Timestamp) scheduled.get(0).get("due_at")).toInstant().toString());
        assertThat(read.path("links")).hasSize(1);
        assertThat(read.path("links").get(0).path("customer_email").asText()).isEqualTo("dropoff@customer.example");
    }

    @Test
    void aCustomerWhoGoesQuietDropsOffAtTheirLastEventAndComingBackCancelsTheReminders() throws Exception {
        String ref = ref("site-quiet");
        step(ref, null, Map.of("partner_reference", ref), 1);
        step(ref, "advance", null, 2);
        sandbox("POST", "/sandbox/connect-sessions/" + ref + "/abandon", Map.of());
        Timestamp lastEvent = jdbc.queryForObject("SELECT max(event_at) FROM connect_session_event WHERE partner_reference = ?", Timestamp.class, ref);

        await().atMost(Duration.ofSeconds(10)).until(() -> reminders(ref).size() == 3);
        List<Map<String, Object>> scheduled = reminders(ref);
        assertThat(scheduled).extracting(r -> r.get("drop_off_reason")).containsOnly("INACTIVE");
        assertThat(scheduled).extracting(r -> r.get("dropped_off_at")).containsOnly(lastEvent);
        assertThat(Duration.between(lastEvent.toInstant(), ((Timestamp) scheduled.get(0).get("due_at")).toInstant())).isEqualTo(OFFSETS.get(0));

        // the customer opens the link again: a new session, the pending reminders are cancelled
        step(ref, null, Map.of("partner_reference", ref), 3);
        assertThat(reminders(ref)).filteredOn(r -> "PENDING".equals(r.get("status"))).isEmpty();
        assertThat(reminders(ref)).filteredOn(r -> "CANCELLED".equals(r.get("status")))
                .extracting(r -> r.get("cancelled_reason")).containsOnly("CUSTOMER_RETURNED");
        assertThat(jdbc.queryForObject("SELECT dropped_off_at FROM connect_session WHERE partner_reference = ?", Timestamp.class, ref)).isNull();
        step(ref, "complete", null, 4);
    }

    @Test
    void aCompletedSessionCancelsThePendingReminders() throws Exception {
        String ref = ref("site-completes");
        assertThat(postLink(port, Map.of("partner_reference", ref, "customer_email", "completes@customer.example", "send_email", false)).status())
                .isEqualTo(201);
        step(ref, null, Map.of("partner_reference", ref), 1);
        // the utility login fails: a drop-off (GUIDE §3.2)
        step(ref, "authorize", Map.of("utility_name", "PGE", "status", "FAILED"), 2);
        assertThat(reminders(ref)).hasSize(3).extracting(r -> r.get("drop_off_reason")).containsOnly("AUTHORIZATION_FAILED");
        step(ref, "complete", null, 3);

        assertThat(reminders(ref)).extracting(r -> r.get("status")).containsOnly("CANCELLED");
        assertThat(reminders(ref)).extracting(r -> r.get("cancelled_reason")).containsOnly("SESSION_COMPLETED");
        Thread.sleep(OFFSETS.get(2).toMillis() + 1000); // past the last due time
        assertThat(mailsContaining(ref)).isEmpty();
        assertThat(session(port, ref).json().path("reminders").findValuesAsText("cancelled_reason")).containsOnly("SESSION_COMPLETED");

        // a drop-off after completion schedules nothing
        ObjectNode newSession = envelope("connect_session.updated", ref, "CREATED", null);
        deliver(newSession);
        awaitOutcome(newSession);
        ObjectNode closed = envelope("connect_session.updated", ref, "CLOSED", null);
        deliver(closed);
        assertThat(awaitOutcome(closed)).isEqualTo("APPLIED");
        assertThat(reminders(ref)).hasSize(3).extracting(r -> r.get("status")).containsOnly("CANCELLED");
    }

    @Test
    void leapCreatingTheMeterCancelsThePendingReminders() throws Exception {
        String ref = ref("site-metered");
        assertThat(postLink(port, Map.of("partner_reference", ref, "customer_email", "metered@customer.example", "send_email", false)).status())
                .isEqualTo(201);
        step(ref, null, Map.of("partner_reference", ref), 1);
        // the utility login succeeds, the customer leaves the forms: a drop-off
        step(ref, "authorize", Map.of(), 3);
        step(ref, "close", null, 4);
        assertThat(reminders(ref)).hasSize(3);
        // Leap got the utility data and creates the meter
        sandbox("POST", "/sandbox/connect-sessions/" + ref + "/meter", Map.of());

        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT meter_created_at IS NOT NULL FROM connect_session WHERE partner_reference = ?", Boolean.class, ref));
        String meterId = jdbc.queryForObject("SELECT meter_id::text FROM connect_session WHERE partner_reference = ?", String.class, ref);
        assertThat(jdbc.queryForObject("SELECT partner_reference FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meterId))
                .as("the inventory applied the meter.created first").isEqualTo(ref);
        assertThat(reminders(ref)).extracting(r -> r.get("status")).containsOnly("CANCELLED");
        assertThat(reminders(ref)).extracting(r -> r.get("cancelled_reason")).containsOnly("METER_CREATED");
        Thread.sleep(OFFSETS.get(2).toMillis());
        assertThat(mailsContaining(ref)).isEmpty();
        JsonNode read = session(port, ref).json();
        assertThat(read.path("meter_id").asText()).isEqualTo(meterId);
        assertThat(read.path("meter_created_at").asText()).isNotBlank();
    }

    @Test
    void whenSeveralRemindersAreDueOnlyTheLatestGoesOut() throws Exception {
        String ref = ref("site-late");
        assertThat(postLink(port, Map.of("partner_reference", ref, "customer_email", "late@customer.example", "send_email", false)).status())
                .isEqualTo(201);
        // a drop-off long ago, as if every hub had been down for days
        ObjectNode closed = envelope("connect_session.updated", ref, "CLOSED", null);
        jdbc.update("INSERT INTO platform_event (webhook_event_id, event_type, payload, received_at, processed_at) VALUES (?, ?, ?::jsonb, now() - interval '1 minute', now())",
                UUID.fromString(closed.path("webhook_event_id").asText()), "connect_session.updated", closed.toString());
        assertThat(producer.requestBody("direct:connect-session-apply", closed.toString(), JsonNode.class).path("reminders_scheduled").asInt())
                .isEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> reminders(ref).stream().noneMatch(r -> "PENDING".equals(r.get("status"))));
        assertThat(reminders(ref)).extracting(r -> r.get("status")).containsExactly("CANCELLED", "CANCELLED", "SENT");
        assertThat((String) reminders(ref).get(0).get("cancelled_reason")).startsWith("SUPERSEDED");
        await().atMost(Duration.ofSeconds(5)).until(() -> mailsContaining(ref).size() == 1);
        assertThat(mailsContaining(ref).get(0).text()).contains("Reminder 3 of 3");
    }

    @Test
    void theReadApiRefusesWhatItCannotAnswer() throws Exception {
        ConnectTestSupport.Reply unknown = session(port, ref("site-never-seen"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
        assertThat(unknown.json().path("detail").asText()).startsWith("no Connect link or Connect session for partner_reference site-never-seen");
        ConnectTestSupport.Reply invalid = session(port, "a!b!c");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("detail").asText()).startsWith("partner_reference: contains '!'");
        String url = "http://127.0.0.1:" + port + "/api/onboarding/connect-sessions/site-00001";
        assertThat(send("GET", url, null, null).status()).isEqualTo(401);
        assertThat(send("GET", url, null, "wrong").status()).isEqualTo(401);
    }

    static ObjectNode envelope(String type, String ref, String status, String utility) {
        ObjectNode e = JSON.createObjectNode();
        e.put("webhook_event_id", UUID.randomUUID().toString());
        ObjectNode p = e.putObject("payload");
        p.put("webhook_event_type", type);
        p.put("partner_reference", ref);
        if (utility != null) {
            p.put("utility_name", utility);
        }
        p.put("status", status);
        return e;
    }

    ConnectTestSupport.Reply deliver(ObjectNode envelope) throws Exception {
        return send("POST", "http://127.0.0.1:" + port + "/leap/webhooks/events", envelope.toString(), ConnectTestSupport.EVENTS_SECRET);
    }

    String awaitOutcome(ObjectNode envelope) {
        String id = envelope.path("webhook_event_id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> !jdbc.queryForList(
                "SELECT outcome FROM platform_event WHERE webhook_event_id = ?::uuid AND processed_at IS NOT NULL", String.class, id).isEmpty());
        return jdbc.queryForObject("SELECT outcome FROM platform_event WHERE webhook_event_id = ?::uuid", String.class, id);
    }
}
