package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubApplication;
import io.leapvpp.hub.HubTestEnvironment;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish -> device -> ack end to end against the separate Mosquitto server CI runs on 127.0.0.1:1883
 * (default in-flight window 20, receive maximum 20). Skipped, with the reason, where nothing answers there.
 */
@CamelSpringBootTest
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@DirtiesContext
class MosquittoEndToEndTest {

    static final String MOSQUITTO = "tcp://127.0.0.1:1883";

    @BeforeAll
    static void mosquittoIsThere() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1883), 1000);
            up = true;
        } catch (Exception e) {
            up = false;
        }
        Assumptions.assumeTrue(up, "no MQTT server on 127.0.0.1:1883 (CI starts Mosquitto there: .ci/run)");
    }

    @DynamicPropertySource
    static void mosquitto(DynamicPropertyRegistry registry) {
        HubTestEnvironment.register(registry);
        registry.add("hub.mqtt.broker-url", () -> MOSQUITTO);
        // the Mosquitto server is shared with other runs: a share group of our own
        registry.add("hub.devices.ack-share-group", () -> "it-" + UUID.randomUUID().toString().substring(0, 8));
        registry.add("hub.devices.ack-session-expiry", () -> "60s");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void commandsArePublishedAcknowledgedAndRecordedThroughMosquitto() throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(jdbc);
        String gw = DeviceFixtures.gateway("gw-mosq");
        try (SimulatedDevice device = new SimulatedDevice(MOSQUITTO, "vpp/" + gw + "/commands", "vpp/" + gw + "/plan")
                .answering(cmd -> "accepted")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) { // more than Mosquitto's in-flight window of 20
                ids.add(fixtures.scheduled(gw));
            }
            List<SimulatedDevice.Received> commands = device.await("/commands", 100, Duration.ofSeconds(20));
            assertThat(commands).extracting(c -> c.json().get("command_id").asText()).containsExactlyInAnyOrderElementsOf(ids);
            ContractSchemas.assertValid("command.schema.json", commands.get(0).json());
            assertThat(commands.get(0).properties().getResponseTopic()).isEqualTo("vpp/" + gw + "/acks");
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM device_command WHERE command_id = ANY(?) AND status = 'ACCEPTED'",
                    Integer.class, (Object) ids.toArray(String[]::new)) == 100);
            assertThat(fixtures.eventState(ids.get(0))).isEqualTo("ACCEPTED");
            List<SimulatedDevice.Received> plans = device.await("/plan", 1, Duration.ofSeconds(10));
            assertThat(plans).isNotEmpty();
            ContractSchemas.assertValid("plan.schema.json", plans.get(plans.size() - 1).json());
        }
    }
}
