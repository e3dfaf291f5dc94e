package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Meter dispatch webhooks over real HTTP into the real database: new, multi, repeat, update, cancel, concurrency. */
class DispatchReceiverTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;

    @Test
    void aNewEventIsStoredAndCommandedBeforeTheAck() throws Exception {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String ref = ref();
        Instant start = hoursFromNow(3);
        ObjectNode slot = timeslot("meter_event_id", event, start);

        Reply reply;
        try (Connection listener = dataSource.getConnection(); Statement st = listener.createStatement()) {
            st.execute("LISTEN device_command_due");
            reply = post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET);
            PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(notes).as("pg_notify on commit for the device-side publisher").isNotEmpty();
            assertThat(notes[0].getName()).isEqualTo("device_command_due");
        }

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("received").asInt()).isEqualTo(1);
        assertThat(reply.json().path("created").asInt()).isEqualTo(1);
        assertThat(reply.json().path("commands").asInt()).isEqualTo(1);

        Map<String, Object> e = jdbc.queryForMap("SELECT * FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e.get("state")).isEqualTo("COMMANDED");
        assertThat(e.get("version")).isEqualTo(1);
        assertThat(e.get("kind")).isEqualTo("METER");
        assertThat(e.get("meter_id")).isEqualTo(meter);
        assertThat(e.get("partner_reference")).isEqualTo(ref);
        assertThat(((java.math.BigDecimal) e.get("energy_kw")).doubleValue()).isEqualTo(8.5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event_version WHERE event_id = ? AND version = 1 AND source = 'WEBHOOK' AND notification_id IS NOT NULL",
                Integer.class, event)).isEqualTo(1);

        Map<String, Object> c = jdbc.queryForMap("SELECT * FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", event);
        String commandId = event + ":v1:" + meter;
        assertThat(c.get("command_id")).isEqualTo(commandId);
        assertThat(c.get("status")).isEqualTo("PENDING");
        assertThat(c.get("action")).isEqualTo("schedule");
        assertThat(c.get("topic")).isEqualTo("vpp/" + ref + "/commands");
        assertThat(((java.sql.Timestamp) c.get("expires_at")).toInstant()).isEqualTo(start.plus(1, ChronoUnit.HOURS));

        JsonNode payload = JSON.readTree(c.get("payload").toString());
        assertThat(iterable(payload.fieldNames())).containsExactlyInAnyOrder("command_id", "action", "meter_id",
                "partner_reference", "meter_event_id", "start_time", "end_time", "target_kw", "nomination_kw", "priority",
                "is_voluntary", "performance_compensation_cap", "dispatch_event_types", "programs", "test");
        assertThat(payload.path("command_id").asText()).isEqualTo(commandId);
        assertThat(payload.path("meter_event_id").asText()).isEqualTo(event.toString());
        assertThat(payload.path("start_time").asText()).isEqualTo(start.toString()).endsWith("Z");
        assertThat(payload.path("target_kw").decimalValue()).isEqualByComparingTo("8.5");
        assertThat(payload.path("nomination_kw").decimalValue()).isEqualByComparingTo("11");
        assertThat(payload.path("priority").asInt()).isEqualTo(2);
        assertThat(payload.path("performance_compensation_cap").asText()).isEqualTo("up-to-site-load");
        assertThat(payload.path("dispatch_event_types").toString()).isEqualTo("[\"day-ahead\"]");
        assertThat(payload.path("programs").toString()).isEqualTo("[\"CCA\"]");
        assertThat(payload.path("test").asBoolean(true)).isFalse();
    }

    @Test
    void nullEnergyMeansDispatchTheMaximumAndStaysNullInTheCommand() throws Exception {
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(2));
        slot.putNull("energy_kw");
        assertThat(post(port, METER_PATH, single(UUID.randomUUID(), ref(), slot).toString(), WEBHOOK_SECRET).status()).isEqualTo(200);
        JsonNode payload = JSON.readTree(jdbc.queryForObject("SELECT payload::text FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", String.class, event));
        assertThat(payload.has("target_kw")).isTrue();
        assertThat(payload.get("target_kw").isNull()).isTrue();
    }

    @Test
    void aNotificationWithSeveralMetersAndTimeslotsCommandsEachMeterTimeslot() {
        ObjectNode n = meterNotification();
        UUID m1 = UUID.randomUUID();
        UUID m2 = UUID.randomUUID();
        List<UUID> events = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        addMeter(n, m1, ref(), timeslot("meter_event_id", events.get(0), hoursFromNow(2)), timeslot("meter_event_id", events.get(1), hoursFromNow(3)));
        addMeter(n, m2, ref(), timeslot("meter_event_id", events.get(2), hoursFromNow(2)), timeslot("meter_event_id", events.get(3), hoursFromNow(3)));

        Reply reply = post(port, METER_PATH, n.toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("received").asInt()).isEqualTo(4);
        assertThat(reply.json().path("commands").asInt()).isEqualTo(4);
        String ids = "'" + String.join("','", events.stream().map(UUID::toString).toList()) + "'";
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event WHERE state = 'COMMANDED' AND event_id::text IN (" + ids + ")", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForList("SELECT meter_id FROM device_command WHERE event_id::text IN (" + ids + ")", UUID.class))
                .containsExactlyInAnyOrder(m1, m1, m2, m2);
    }

    @Test
    void anExactRepeatChangesNothingAndSendsNothing() {
        UUID event = UUID.randomUUID();
        String body = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", event, hoursFromNow(4))).toString();
        assertThat(post(port, METER_PATH, body, WEBHOOK_SECRET).status()).isEqualTo(200);
        String updatedAt = jdbc.queryForObject("SELECT updated_at::text FROM dispatch_event WHERE event_id = ?", String.class, event);

        // the same values, reformatted (Leap's retry after a lost ack)
        String again = body.replace("8.5", "8.50");
        Reply reply = post(port, METER_PATH, again, WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("unchanged").asInt()).isEqualTo(1);
        assertThat(reply.json().path("commands").asInt()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event_version WHERE event_id = ?", Integer.class, event)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT updated_at::text FROM dispatch_event WHERE event_id = ?", String.class, event)).isEqualTo(updatedAt);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE body::text LIKE ?", Integer.class, "%" + event + "%"))
                .as("every delivery is recorded").isEqualTo(2);
    }

    @Test
    void anUpdateMakesVersionTwoSupersedesThePendingCommandAndCommandsAgain() {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String ref = ref();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(5));
        post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET);

        slot.put("energy_kw", 12.25);
        slot.put("priority", 1);
        Reply reply = post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("updated").asInt()).isEqualTo(1);
        Map<String, Object> e = jdbc.queryForMap("SELECT version, state, energy_kw, priority FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e.get("version")).isEqualTo(2);
        assertThat(e.get("state")).isEqualTo("COMMANDED");
        assertThat(((java.math.BigDecimal) e.get("energy_kw")).doubleValue()).isEqualTo(12.25);
        assertThat(jdbc.queryForList("SELECT version FROM dispatch_event_version WHERE event_id = ? ORDER BY version", Integer.class, event))
                .containsExactly(1, 2);
        assertThat(jdbc.queryForObject("SELECT status FROM device_command WHERE command_id = ?", String.class, event + ":v1:" + meter))
                .isEqualTo("SUPERSEDED");
        Map<String, Object> c2 = jdbc.queryForMap("SELECT status, payload::text AS payload FROM device_command JOIN device_command_message USING (id) WHERE command_id = ?", event + ":v2:" + meter);
        assertThat(c2.get("status")).isEqualTo("PENDING");
        JsonNode p2 = json(c2.get("payload"));
        assertThat(p2.path("target_kw").decimalValue()).isEqualByComparingTo("12.25");
        assertThat(p2.path("priority").asInt()).isEqualTo(1);
    }

    @Test
    void aCancelAfterTheEventSendsACancelCommand() {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String ref = ref();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(6));
        post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET);

        slot.put("cancelled", true);
        assertThat(post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET).status()).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT state FROM dispatch_event WHERE event_id = ?", String.class, event)).isEqualTo("CANCELLED");
        Map<String, Object> cancel = jdbc.queryForMap("SELECT action, status, payload::text AS payload FROM device_command JOIN device_command_message USING (id) WHERE command_id = ?",
                event + ":v2:" + meter);
        assertThat(cancel.get("action")).isEqualTo("cancel");
        assertThat(cancel.get("status")).isEqualTo("PENDING");
        assertThat(json(cancel.get("payload")).path("action").asText()).isEqualTo("cancel");
        assertThat(jdbc.queryForObject("SELECT status FROM device_command WHERE command_id = ?", String.class, event + ":v1:" + meter))
                .isEqualTo("SUPERSEDED");
    }

    @Test
    void aCancelForAnEventNeverSeenIsStoredAndStillSendsACancel() {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(2));
        slot.put("cancelled", true);

        assertThat(post(port, METER_PATH, single(meter, ref(), slot).toString(), WEBHOOK_SECRET).status()).isEqualTo(200);

        Map<String, Object> e = jdbc.queryForMap("SELECT version, state, cancelled FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e).containsEntry("version", 1).containsEntry("state", "CANCELLED").containsEntry("cancelled", true);
        assertThat(jdbc.queryForObject("SELECT action FROM device_command WHERE command_id = ?", String.class, event + ":v1:" + meter))
                .isEqualTo("cancel");
    }

    @Test
    void anIntegrationTestNotificationIsRecordedAndMarkedButCommandsNoDevice() {
        UUID event = UUID.randomUUID();
        ObjectNode n = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", event, hoursFromNow(2)));
        n.put("integration_test_notification", true);

        Reply reply = post(port, METER_PATH, n.toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("commands").asInt()).isZero();
        Map<String, Object> e = jdbc.queryForMap("SELECT test, state, note FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e).containsEntry("test", true).containsEntry("state", "RECEIVED");
        assertThat(e.get("note").toString()).contains("test notification");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE integration_test AND body::text LIKE ?",
                Integer.class, "%" + event + "%")).isEqualTo(1);
    }

    @Test
    void aCommunicationTestNotificationIsMarkedToo() {
        UUID event = UUID.randomUUID();
        ObjectNode n = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", event, hoursFromNow(2)));
        n.put("communication_test", true);
        assertThat(post(port, METER_PATH, n.toString(), WEBHOOK_SECRET).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT test FROM dispatch_event WHERE event_id = ?", Boolean.class, event)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isZero();
    }

    @Test
    void theSameNewEventArrivingConcurrentlyMakesOneVersionAndOneCommand() throws Exception {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String body = single(meter, ref(), timeslot("meter_event_id", event, hoursFromNow(2))).toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> post(port, METER_PATH, body, WEBHOOK_SECRET).status());
            }
            for (Future<Integer> f : pool.invokeAll(calls)) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_event_version WHERE event_id = ?", Integer.class, event)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isEqualTo(1);
    }

    @Test
    void aMeterDispatchWithoutPartnerReferenceResolvesThroughTheInventoryOrIsRecordedUnresolved() {
        UUID known = UUID.randomUUID();
        String ref = ref();
        jdbc.update("INSERT INTO meter_inventory (meter_id, partner_reference) VALUES (?, ?)", known, ref);
        UUID e1 = UUID.randomUUID();
        UUID e2 = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        ObjectNode n = meterNotification();
        addMeter(n, known, null, timeslot("meter_event_id", e1, hoursFromNow(2)));
        addMeter(n, unknown, null, timeslot("meter_event_id", e2, hoursFromNow(2)));

        assertThat(post(port, METER_PATH, n.toString(), WEBHOOK_SECRET).status()).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT topic FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", String.class, e1)).isEqualTo("vpp/" + ref + "/commands");
        Map<String, Object> e = jdbc.queryForMap("SELECT state, unresolved_meter_ids::text AS unresolved FROM dispatch_event WHERE event_id = ?", e2);
        assertThat(e.get("state")).isEqualTo("UNRESOLVED");
        assertThat(e.get("unresolved").toString()).contains(unknown.toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, e2)).isZero();
    }

    private static JsonNode json(Object text) {
        try {
            return JSON.readTree(text.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
