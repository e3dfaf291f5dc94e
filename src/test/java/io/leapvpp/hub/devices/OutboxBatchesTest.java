package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog many batches long goes out with two batches under way at once and the lanes publishing side by side:
 * every command exactly once, and each gateway's commands in the order they were written.
 */
@TestPropertySource(properties = {"hub.devices.outbox.enabled=true", "hub.devices.outbox.batch-size=7",
        "hub.devices.mqtt.publisher-connections=2"})
@DirtiesContext
class OutboxBatchesTest extends HubSpringTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;

    @Test
    void aBacklogOfManyBatchesReachesEachGatewayInTheOrderItWasWritten() throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(jdbc);
        List<String> gateways = new ArrayList<>();
        Set<Integer> lanes = new HashSet<>();
        while (gateways.size() < 6 || lanes.size() < 2) {
            String gw = DeviceFixtures.gateway("gw-batch");
            gateways.add(gw);
            lanes.add(DeviceMqttPublisher.laneOf(gw, 2));
        }
        String[] filters = gateways.stream().map(gw -> "vpp/" + gw + "/commands").toArray(String[]::new);
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), filters)) {
            // the whole backlog waits in the outbox first, so the publisher finds it many batches long
            camel.getRouteController().suspendRoute("device-outbox-publisher");
            Map<String, List<String>> written = new LinkedHashMap<>();
            try {
                for (int round = 0; round < 15; round++) {
                    for (String gw : gateways) {
                        // one transaction each: the outbox orders by the time a command became due
                        written.computeIfAbsent(gw, k -> new ArrayList<>()).add(fixtures.scheduled(gw));
                    }
                }
            } finally {
                camel.getRouteController().resumeRoute("device-outbox-publisher");
            }
            int total = written.values().stream().mapToInt(List::size).sum();
            assertThat(total).isGreaterThan(10 * 7);

            List<SimulatedDevice.Received> received = device.await("/commands", total, Duration.ofSeconds(30));
            assertThat(received).hasSize(total);
            for (String gw : gateways) {
                assertThat(received.stream().filter(r -> r.topic().equals("vpp/" + gw + "/commands"))
                        .map(r -> r.json().get("command_id").asText()).toList())
                        .as("commands of %s in the order they were written", gw)
                        .containsExactlyElementsOf(written.get(gw));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (List<String> ids : written.values()) {
                    for (String id : ids) {
                        assertThat(fixtures.status(id)).isEqualTo("SENT");
                        assertThat(fixtures.publishCount(id)).isEqualTo(1);
                    }
                }
            });
        }
    }
}
