package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Gateways' acks update the command and its timeslot; bad acks are kept, never crash (issue 3, item 6). */
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@DirtiesContext
class DeviceAcksTest extends HubSpringTest {

    @Autowired
    JdbcTemplate jdbc;

    DeviceFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new DeviceFixtures(jdbc);
    }

    /** Waits for the command's status; a failure tells how far it got (published? received? acks stored?). */
    void awaitCommand(String id, String status, SimulatedDevice device) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixtures.status(id))
                .as("command %s: publish count %d, commands the device received %d, acks stored %d", id, fixtures.publishCount(id),
                        device.on("/commands").size(), acksStored(id))
                .isEqualTo(status));
    }

    int acksStored(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM device_ack WHERE command_id = ?", Integer.class, id);
    }

    @Test
    void acceptedThenStartedThenCompletedFollowTheCommandAndTheEvent() throws Exception {
        String gw = DeviceFixtures.gateway("gw-ack");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")
                .answering(cmd -> "accepted")) {
            String id = fixtures.scheduled(gw);
            awaitCommand(id, "ACCEPTED", device);
            assertThat(fixtures.eventState(id)).isEqualTo("ACCEPTED");
            assertThat(jdbc.queryForObject("SELECT acked_at IS NOT NULL FROM device_command WHERE command_id = ?", Boolean.class, id)).isTrue();

            String ackTopic = "vpp/" + gw + "/acks";
            device.ack(ackTopic, id, "started", null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixtures.eventState(id)).as("acks stored %d", acksStored(id)).isEqualTo("STARTED"));
            device.ack(ackTopic, id, "completed", null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixtures.eventState(id)).as("acks stored %d", acksStored(id)).isEqualTo("COMPLETED"));
            assertThat(fixtures.status(id)).isEqualTo("COMPLETED");
            // a late, out-of-order ack is stored but changes nothing
            device.ack(ackTopic, id, "accepted", null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(acksStored(id)).isEqualTo(4));
            assertThat(fixtures.status(id)).isEqualTo("COMPLETED");
            assertThat(fixtures.eventState(id)).isEqualTo("COMPLETED");
            for (String raw : jdbc.queryForList("SELECT raw::text FROM device_ack WHERE command_id = ?", String.class, id)) {
                ContractSchemas.assertValid("ack.schema.json", DeviceFixtures.JSON.readTree(raw));
            }
        }
    }

    @Test
    void anAckDeliveredTwiceIsRecordedOnce() throws Exception {
        String gw = DeviceFixtures.gateway("gw-twice");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            String id = fixtures.scheduled(gw);
            await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(fixtures.status(id)));
            String ack = "{\"command_id\":\"" + id + "\",\"status\":\"rejected\",\"reason\":\"no capacity\",\"at\":\"" + Instant.now() + "\"}";
            device.publishRaw("vpp/" + gw + "/acks", ack);
            device.publishRaw("vpp/" + gw + "/acks", ack); // as a QoS 1 redelivery would
            String marker = UUID.randomUUID().toString();
            device.publishRaw("vpp/" + gw + "/acks", "{not json " + marker); // after both: once it is kept, both were handled
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM hub_rejected_input WHERE source = 'device-ack' AND body LIKE ?", Integer.class, "%" + marker + "%") > 0);
            assertThat(acksStored(id)).isEqualTo(1);
            assertThat(fixtures.status(id)).isEqualTo("REJECTED");
            assertThat(jdbc.queryForList("SELECT kind FROM hub_alert WHERE reference = ?", String.class, id)).containsExactly("COMMAND_REJECTED");
        }
    }

    @Test
    void aRejectedCommandRejectsTheEventAndQueuesAnAlert() throws Exception {
        String gw = DeviceFixtures.gateway("gw-rej");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")
                .answering(cmd -> "rejected")) {
            String id = fixtures.scheduled(gw);
            awaitCommand(id, "REJECTED", device);
            assertThat(fixtures.eventState(id)).isEqualTo("REJECTED");
            assertThat(jdbc.queryForObject("SELECT reason FROM device_ack WHERE command_id = ?",
                    String.class, id)).isEqualTo("battery in maintenance");
            assertThat(jdbc.queryForList("SELECT kind FROM hub_alert WHERE reference = ?", String.class, id))
                    .containsExactly("COMMAND_REJECTED");
        }
    }

    @Test
    void anAcknowledgedCancelCancelsTheEvent() throws Exception {
        String gw = DeviceFixtures.gateway("gw-cxl");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")
                .answering(cmd -> "accepted")) {
            UUID meter = UUID.randomUUID();
            Instant start = DeviceFixtures.minutesFromNow(5);
            Instant end = start.plus(30, ChronoUnit.MINUTES);
            UUID event = fixtures.event(meter, gw, start, end, 1, false);
            String schedule = fixtures.command(event, meter, gw, "schedule", start, end, null, 1, false);
            awaitCommand(schedule, "ACCEPTED", device);
            fixtures.bumpVersion(event, true);
            String cancel = fixtures.command(event, meter, gw, "cancel", start, end, null, 1, false);
            awaitCommand(cancel, "ACCEPTED", device);
            await().atMost(Duration.ofSeconds(5)).until(() -> "CANCELLED".equals(
                    jdbc.queryForObject("SELECT state FROM dispatch_event WHERE event_id = ?", String.class, event)));
            assertThat(device.on("/commands")).extracting(c -> c.json().get("action").asText()).containsExactly("schedule", "cancel");
        }
    }

    @Test
    void malformedAndUnknownAcksAreKeptAndTheConsumerCarriesOn() throws Exception {
        String gw = DeviceFixtures.gateway("gw-bad");
        String marker = UUID.randomUUID().toString();
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            String ackTopic = "vpp/" + gw + "/acks";
            device.publishRaw(ackTopic, "{not json " + marker);
            device.publishRaw(ackTopic, "{\"command_id\":\"" + marker + "\",\"status\":\"maybe\"}");
            String unknown = "unknown-" + marker;
            device.ack(ackTopic, unknown, "accepted", null);
            // each delivery of a bad ack is kept (a second subscription on this database would keep it twice)
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "SELECT count(DISTINCT reason) FROM hub_rejected_input WHERE source = 'device-ack' AND body LIKE ?", Integer.class,
                    "%" + marker + "%") == 2);
            List<String> reasons = jdbc.queryForList("SELECT reason FROM hub_rejected_input WHERE source = 'device-ack' AND body LIKE ? ORDER BY id",
                    String.class, "%" + marker + "%");
            assertThat(reasons).containsSubsequence("malformed-json", "invalid-status").containsOnly("malformed-json", "invalid-status");
            assertThat(jdbc.queryForObject("SELECT remote_address FROM hub_rejected_input WHERE source = 'device-ack' AND body LIKE ? LIMIT 1",
                    String.class, "%" + marker + "%")).isEqualTo(ackTopic);
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM device_ack WHERE command_id = ?", Integer.class, unknown) == 1);

            // and a good ack after the bad ones is still processed
            device.answering(cmd -> "accepted");
            String id = fixtures.scheduled(gw);
            awaitCommand(id, "ACCEPTED", device);
        }
    }
}
