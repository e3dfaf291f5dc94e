package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubApplication;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away for this hub only (a TcpProxy between the hub and the shared broker is cut):
 * commands wait in the outbox and all arrive after it returns; acks are consumed again after the
 * reconnect, including one published while the hub was away (CAMEL-24511 would leave a Camel
 * paho-mqtt5 consumer idle here; the hub's durable ack session re-subscribes).
 */
@CamelSpringBootTest
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@DirtiesContext
class BrokerOutageTest {

    static TcpProxy proxy;

    @DynamicPropertySource
    static void throughProxy(DynamicPropertyRegistry registry) throws IOException {
        HubTestEnvironment.register(registry); // the shared servers, then this hub's broker through the proxy
        proxy = new TcpProxy("127.0.0.1", HubTestEnvironment.mqtt().getPort()).start();
        registry.add("hub.mqtt.broker-url", () -> "tcp://127.0.0.1:" + proxy.port());
        // its own share group: no other hub context in this JVM takes this hub's acks
        registry.add("hub.devices.ack-share-group", () -> "outage-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void closeProxy() throws IOException {
        proxy.close();
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeviceMqttPublisher publisher;
    @Autowired
    DeviceAckSubscriber acks;

    @AfterEach
    void restore() throws IOException {
        proxy.restore();
    }

    int otherOutboxListeners() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'leap-vpp-hub outbox listener'",
                Integer.class) - 1;
    }

    @Test
    void commandsWrittenWhileTheBrokerIsDownAllArriveAfterItReturns() throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(jdbc);
        String gw = DeviceFixtures.gateway("gw-down");
        await().atMost(Duration.ofSeconds(10)).until(publisher::isConnected);
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            proxy.cut();
            await().atMost(Duration.ofSeconds(5)).until(() -> !publisher.isConnected());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(fixtures.scheduled(gw));
            }
            Thread.sleep(1500);
            if (otherOutboxListeners() == 0) { // another hub context sharing the database would publish them itself
                assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE command_id = ANY(?) AND status = 'PENDING'",
                        Integer.class, (Object) ids.toArray(String[]::new))).isEqualTo(50);
                assertThat(device.on("/commands")).isEmpty();
            }
            proxy.restore();
            List<SimulatedDevice.Received> arrived = device.await("/commands", 50, Duration.ofSeconds(20));
            assertThat(arrived).extracting(c -> c.json().get("command_id").asText()).containsAll(ids);
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM device_command WHERE command_id = ANY(?) AND status = 'SENT'",
                    Integer.class, (Object) ids.toArray(String[]::new)) == 50);
        }
    }

    @Test
    void acksAreConsumedAfterTheBrokerConnectionReturns() throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(jdbc);
        String gw = DeviceFixtures.gateway("gw-reconn");
        await().atMost(Duration.ofSeconds(30)).until(acks::isSubscribed);
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            String before = fixtures.scheduled(gw);
            String whileAway = fixtures.scheduled(gw);
            assertThat(device.await("/commands", 2, Duration.ofSeconds(30))).as("both commands published").hasSize(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(fixtures.status(before)) && "SENT".equals(fixtures.status(whileAway)));
            String ackTopic = "vpp/" + gw + "/acks";
            device.ack(ackTopic, before, "accepted", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "ACCEPTED".equals(fixtures.status(before)));

            proxy.cut();
            await().atMost(Duration.ofSeconds(5)).until(() -> !acks.isSubscribed());
            device.ack(ackTopic, whileAway, "accepted", null); // the broker keeps it for the hub's session
            Thread.sleep(500);
            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(acks::isSubscribed);
            await().atMost(Duration.ofSeconds(30)).until(() -> "ACCEPTED".equals(fixtures.status(whileAway)));

            device.answering(cmd -> "accepted");
            String after = fixtures.scheduled(gw);
            await().atMost(Duration.ofSeconds(30)).until(() -> "ACCEPTED".equals(fixtures.status(after)));
            assertThat(fixtures.eventState(after)).isEqualTo("ACCEPTED");
        }
    }
}
