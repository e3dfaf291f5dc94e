package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbox rows become MQTT 5 commands and retained plans on the real broker (issue 3, items 4, 5, 7). */
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@DirtiesContext
class DeviceOutboxTest extends HubSpringTest {

    @Autowired
    JdbcTemplate jdbc;

    DeviceFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new DeviceFixtures(jdbc);
    }

    @Autowired
    DevicePlans plans;

    @Test
    void aGatewaysPlanIsPublishedAtMostOncePerMinIntervalAndTheChangesMeanwhileFollow() {
        String gw = DeviceFixtures.gateway("gw-coalesce");
        // "just published": dated a little ahead so a slow machine cannot let the interval pass before the check
        jdbc.update("INSERT INTO device_plan (partner_reference, payload, published_at) VALUES (?, '{}'::jsonb, now() + interval '1 minute')", gw);
        plans.queue(List.of(gw));

        // published just now: the drain (this call, or the hub's publisher if it holds the row at that moment) puts it
        // back until one min-interval (1 s) after that publication
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            plans.publishDue();
            return jdbc.queryForObject("""
                    SELECT d.not_before - p.published_at FROM device_plan_due d JOIN device_plan p USING (partner_reference)
                     WHERE partner_reference = ?""", org.postgresql.util.PGInterval.class, gw).getWholeSeconds() == 1;
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_plan_due WHERE partner_reference = ?", Integer.class, gw)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT payload::text FROM device_plan WHERE partner_reference = ?", String.class, gw)).isEqualTo("{}");

        plans.queue(List.of(gw)); // a change meanwhile: it stays queued once, in its place
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_plan_due WHERE partner_reference = ?", Integer.class, gw)).isEqualTo(1);

        // once that moment has passed the plan goes out (by this call or by the publisher's next wake-up): time moves
        // on as if the last publication had been two seconds ago
        jdbc.update("UPDATE device_plan SET published_at = now() - interval '2 seconds' WHERE partner_reference = ?", gw);
        jdbc.update("UPDATE device_plan_due SET not_before = now() - interval '1 second' WHERE partner_reference = ?", gw);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            plans.publishDue();
            return jdbc.queryForObject("SELECT count(*) FROM device_plan_due WHERE partner_reference = ?", Integer.class, gw) == 0;
        });
        assertThat(jdbc.queryForObject("SELECT payload->>'partner_reference' FROM device_plan WHERE partner_reference = ?",
                String.class, gw)).isEqualTo(gw);
    }

    @Test
    void aGatewayNeverPublishedIsDueAtOnce() {
        String gw = DeviceFixtures.gateway("gw-first");
        plans.queue(List.of(gw));
        assertThat(jdbc.queryForObject("SELECT not_before <= now() FROM device_plan_due WHERE partner_reference = ?", Boolean.class, gw)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            plans.publishDue();
            return jdbc.queryForObject("SELECT count(*) FROM device_plan WHERE partner_reference = ?", Integer.class, gw) == 1;
        });
    }

    @Test
    void plansReadTogetherEachListOnlyTheirOwnGatewaysCommands() throws Exception {
        String a = DeviceFixtures.gateway("gw-batch-a");
        String b = DeviceFixtures.gateway("gw-batch-b");
        String idle = DeviceFixtures.gateway("gw-batch-idle");
        List<String> ofA = List.of(fixtures.scheduled(a), fixtures.scheduled(a));
        String ofB = fixtures.scheduled(b);

        var together = plans.plans(List.of(a, b, idle));

        assertThat(together.keySet()).containsExactly(a, b, idle);
        for (String gateway : List.of(a, b, idle)) {
            JsonNode plan = DeviceFixtures.JSON.readTree(together.get(gateway).json());
            ContractSchemas.assertValid("plan.schema.json", plan);
            assertThat(plan.path("partner_reference").asText()).isEqualTo(gateway);
            List<String> listed = new ArrayList<>();
            plan.path("meters").forEach(m -> m.path("events").forEach(e -> listed.add(e.path("command_id").asText())));
            List<String> expected = gateway.equals(a) ? ofA : gateway.equals(b) ? List.of(ofB) : List.of();
            assertThat(listed).as(gateway).containsExactlyInAnyOrderElementsOf(expected);
            JsonNode alone = DeviceFixtures.JSON.readTree(plans.planJson(gateway));
            ((com.fasterxml.jackson.databind.node.ObjectNode) plan).remove("generated_at");
            ((com.fasterxml.jackson.databind.node.ObjectNode) alone).remove("generated_at");
            assertThat(plan).as("read together = read alone, %s", gateway).isEqualTo(alone);
        }
    }

    @Test
    void aGatewayQueuedWhileAnotherHubDrainsItIsQueuedAgainAfterThatDrain() throws Exception {
        String gw = DeviceFixtures.gateway("gw-two-hubs");
        // queued, but not yet due for this hub's own drain
        jdbc.update("INSERT INTO device_plan_due (partner_reference, not_before) VALUES (?, now() + interval '1 hour')", gw);
        java.util.concurrent.ExecutorService queueing = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (java.sql.Connection otherHub = jdbc.getDataSource().getConnection()) {
            // another hub's drain: it holds the gateway's row (and has read the plan) until it has published
            otherHub.setAutoCommit(false);
            try (var lock = otherHub.prepareStatement("SELECT pg_advisory_xact_lock(?)");
                 var claim = otherHub.prepareStatement("SELECT partner_reference FROM device_plan_due WHERE partner_reference = ? FOR UPDATE")) {
                lock.setLong(1, DevicePlans.QUEUE_LOCK);
                lock.execute();
                claim.setString(1, gw);
                claim.execute();
            }
            // meanwhile this hub's commands for the gateway change: the queueing waits for that drain
            var queued = queueing.submit(() -> plans.queue(List.of(gw)));
            Thread.sleep(500);
            assertThat(queued.isDone()).as("queueing waits for the other hub's drain").isFalse();
            try (var done = otherHub.prepareStatement("DELETE FROM device_plan_due WHERE partner_reference = ?")) {
                done.setString(1, gw);
                done.executeUpdate();
            }
            otherHub.commit();
            queued.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            queueing.shutdownNow();
        }
        // queued anew, so its plan goes out again (by this call or the publisher's next wake-up)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            plans.publishDue();
            return jdbc.queryForObject("SELECT count(*) FROM device_plan WHERE partner_reference = ?", Integer.class, gw) == 1;
        });
    }

    @Test
    void whenTheEarliestListedTimeslotEndsThePlanIsPublishedAgainWithoutIt() {
        String gw = DeviceFixtures.gateway("gw-ends");
        UUID meter = UUID.randomUUID();
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES);
        Instant end = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
        String ending = fixtures.command(fixtures.event(meter, gw, start, end, 1, false), meter, gw, "schedule", start, end, null, 1, false);
        String later = fixtures.scheduled(gw); // still ahead when the first one has ended

        // settled: both commands SENT (each SENT queues the gateway's plan) and the plan listing both published
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            plans.publishDue();
            return jdbc.queryForObject("SELECT count(*) FROM device_command WHERE partner_reference = ? AND status = 'SENT'",
                    Integer.class, gw) == 2
                    && jdbc.queryForObject("SELECT count(*) FROM device_plan_due WHERE partner_reference = ?", Integer.class, gw) == 0
                    && jdbc.queryForObject("SELECT count(*) FROM device_plan WHERE partner_reference = ? AND jsonb_array_length(payload->'meters') = 2",
                    Integer.class, gw) == 1;
        });
        assertThat(jdbc.queryForObject("SELECT next_end FROM device_plan WHERE partner_reference = ?", java.sql.Timestamp.class, gw)
                .toInstant()).isEqualTo(end);
        plans.queueEndedTimeslots();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_plan_due WHERE partner_reference = ?", Integer.class, gw))
                .as("nothing it lists has ended yet").isZero();

        // after the end: queued again (by this call or the refresh route) and published without the ended timeslot
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            if (Instant.now().isAfter(end)) {
                plans.queueEndedTimeslots();
                plans.publishDue();
            }
            return !jdbc.queryForObject("SELECT payload::text FROM device_plan WHERE partner_reference = ?", String.class, gw)
                    .contains(ending);
        });
        assertThat(jdbc.queryForObject("SELECT payload::text FROM device_plan WHERE partner_reference = ?", String.class, gw))
                .contains(later);
        assertThat(jdbc.queryForObject("SELECT next_end FROM device_plan WHERE partner_reference = ?", java.sql.Timestamp.class, gw)
                .toInstant()).isAfter(Instant.now().plus(30, ChronoUnit.MINUTES));
    }

    @Test
    void commandsArriveWithTheDocumentedPayloadAndPropertiesAndAreSentAfterPuback() throws Exception {
        String gw = DeviceFixtures.gateway("gw-out");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(fixtures.scheduled(gw));
            }
            List<SimulatedDevice.Received> commands = device.await("/commands", 5, Duration.ofSeconds(10));
            assertThat(commands).hasSize(5);
            assertThat(commands).extracting(c -> c.json().get("command_id").asText()).containsExactlyInAnyOrderElementsOf(ids);
            for (SimulatedDevice.Received c : commands) {
                JsonNode cmd = c.json();
                ContractSchemas.assertValid("command.schema.json", cmd);
                assertThat(c.qos()).isEqualTo(1);
                assertThat(c.retained()).isFalse();
                assertThat(c.topic()).isEqualTo("vpp/" + gw + "/commands");
                assertThat(new String(c.properties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo(cmd.get("command_id").asText());
                assertThat(c.properties().getResponseTopic()).isEqualTo("vpp/" + gw + "/acks");
                assertThat(c.properties().getContentType()).isEqualTo("application/json");
                long untilEnd = Duration.between(Instant.now(), Instant.parse(cmd.get("end_time").asText())).toSeconds();
                assertThat(c.properties().getMessageExpiryInterval()).isBetween(untilEnd - 10, untilEnd + 2);
                assertThat(cmd.get("target_kw").decimalValue()).isEqualByComparingTo(new BigDecimal("50.5"));
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(fixtures.status(id)).isEqualTo("SENT");
                    assertThat(fixtures.publishCount(id)).isEqualTo(1);
                }
            });
            assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE command_id = ANY(?) AND sent_at IS NULL",
                    Integer.class, (Object) ids.toArray(String[]::new))).isZero();
        }
    }

    @Test
    void aCommandWhoseTimeslotEndedIsExpiredNotPublished() throws Exception {
        String gw = DeviceFixtures.gateway("gw-exp");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            UUID meter = UUID.randomUUID();
            Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
            Instant end = Instant.now().minus(1, ChronoUnit.HOURS);
            UUID event = fixtures.event(meter, gw, start, end, 1, false);
            String expired = fixtures.command(event, meter, gw, "schedule", start, end, null, 1, false);
            String live = fixtures.scheduled(gw);
            device.await("/commands", 1, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> "EXPIRED".equals(fixtures.status(expired)));
            Thread.sleep(300);
            assertThat(device.on("/commands")).extracting(c -> c.json().get("command_id").asText()).containsExactly(live);
        }
    }

    @Test
    void aRepublishedCommandCarriesTheSameCommandId() throws Exception {
        String gw = DeviceFixtures.gateway("gw-dup");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            String id = fixtures.scheduled(gw);
            device.await("/commands", 1, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> "SENT".equals(fixtures.status(id)));
            // a hub that crashed after the publish but before its commit leaves the row PENDING
            jdbc.update("UPDATE device_command SET status = 'PENDING', next_attempt_at = now() WHERE command_id = ?", id);
            jdbc.execute("SELECT pg_notify('device_command_due', '')");
            List<SimulatedDevice.Received> twice = device.await("/commands", 2, Duration.ofSeconds(10));
            assertThat(twice).hasSize(2);
            assertThat(twice).extracting(c -> c.json().get("command_id").asText()).containsOnly(id);
            assertThat(twice.get(0).payload()).isEqualTo(twice.get(1).payload());
            await().atMost(Duration.ofSeconds(5)).until(() -> fixtures.publishCount(id) == 2);
        }
    }

    @Test
    void theRetainedPlanReachesALateSubscriberAndAppliesTheOverlapRule() throws Exception {
        String gw = DeviceFixtures.gateway("gw-plan");
        UUID meter = UUID.randomUUID();
        Instant t0 = DeviceFixtures.minutesFromNow(10);
        // voluntary priority 1 from t0 to t0+60; mandatory priority 2 from t0+30 to t0+90
        UUID high = fixtures.event(meter, gw, t0, t0.plus(60, ChronoUnit.MINUTES), 1, true);
        String highCmd = fixtures.command(high, meter, gw, "schedule", t0, t0.plus(60, ChronoUnit.MINUTES), null, 1, true);
        UUID low = fixtures.event(meter, gw, t0.plus(30, ChronoUnit.MINUTES), t0.plus(90, ChronoUnit.MINUTES), 2, false);
        String lowCmd = fixtures.command(low, meter, gw, "schedule", t0.plus(30, ChronoUnit.MINUTES), t0.plus(90, ChronoUnit.MINUTES),
                new BigDecimal("10"), 2, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(fixtures.status(lowCmd)) && "SENT".equals(fixtures.status(highCmd)));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM device_plan p WHERE partner_reference = ? AND jsonb_array_length(p.payload->'meters'->0->'events') = 2",
                Integer.class, gw) == 1);

        // a gateway that connects only now learns its plan from the retained message
        try (SimulatedDevice late = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/plan")) {
            List<SimulatedDevice.Received> plans = late.await("/plan", 1, Duration.ofSeconds(10));
            assertThat(plans).isNotEmpty();
            SimulatedDevice.Received plan = plans.get(plans.size() - 1);
            assertThat(plan.retained()).isTrue();
            assertThat(plan.qos()).isEqualTo(1);
            JsonNode body = plan.json();
            ContractSchemas.assertValid("plan.schema.json", body);
            JsonNode m = body.get("meters").get(0);
            assertThat(m.get("meter_id").asText()).isEqualTo(meter.toString());
            assertThat(m.get("events")).hasSize(2);
            JsonNode governing = m.get("governing");
            assertThat(governing).hasSize(2);
            assertThat(governing.get(0).get("from").asText()).isEqualTo(t0.toString());
            assertThat(governing.get(0).get("to").asText()).isEqualTo(t0.plus(60, ChronoUnit.MINUTES).toString());
            assertThat(governing.get(0).get("command_id").asText()).isEqualTo(highCmd);
            assertThat(governing.get(1).get("from").asText()).isEqualTo(t0.plus(60, ChronoUnit.MINUTES).toString());
            assertThat(governing.get(1).get("to").asText()).isEqualTo(t0.plus(90, ChronoUnit.MINUTES).toString());
            assertThat(governing.get(1).get("command_id").asText()).isEqualTo(lowCmd);
        }

        // cancelling both leaves an empty plan, retained as well
        for (UUID event : List.of(high, low)) {
            fixtures.bumpVersion(event, true);
            fixtures.command(event, meter, gw, "cancel", t0, t0.plus(90, ChronoUnit.MINUTES), null, 1, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM device_plan WHERE partner_reference = ? AND jsonb_array_length(payload->'meters') = 0",
                Integer.class, gw) == 1);
        try (SimulatedDevice later = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/plan")) {
            List<SimulatedDevice.Received> plans = later.await("/plan", 1, Duration.ofSeconds(10));
            assertThat(plans).hasSize(1);
            assertThat(plans.get(0).json().get("meters")).isEmpty();
            ContractSchemas.assertValid("plan.schema.json", plans.get(0).json());
        }
    }
}
