package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hub killed in the middle of publishing, hub started again: before this class's hub starts, a
 * "previous hub" wrote commands and had claimed a batch (FOR UPDATE, as the publisher does) when its
 * connection died without a commit. The new hub publishes every one from the outbox, each with its
 * command_id (issue 3, item 5).
 */
@org.springframework.test.context.TestPropertySource(properties = "hub.devices.outbox.enabled=true") // the test profile holds commands
@DirtiesContext
class OutboxRestartTest extends HubSpringTest {

    static final String GATEWAY = DeviceFixtures.gateway("gw-restart");
    static final List<String> IDS = new ArrayList<>();
    static SimulatedDevice device;

    @BeforeAll
    static void aPreviousHubDiesMidBatch() throws Exception {
        String url = HubTestEnvironment.postgres().jdbcUrl();
        device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + GATEWAY + "/commands");
        // the previous hub had migrated the schema (Flyway, as every hub does at start)
        org.flywaydb.core.Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        writeAndDieMidBatch(url);
    }

    static void writeAndDieMidBatch(String url) throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(new JdbcTemplate(new DriverManagerDataSource(url, "postgres", "")));
        for (int i = 0; i < 20; i++) {
            IDS.add(fixtures.scheduled(GATEWAY));
        }
        Connection dying = DriverManager.getConnection(url, "postgres", "");
        dying.setAutoCommit(false);
        try (PreparedStatement claim = dying.prepareStatement(
                "SELECT command_id FROM device_command WHERE partner_reference = ? FOR UPDATE")) {
            claim.setString(1, GATEWAY);
            claim.executeQuery().close();
        }
        dying.close(); // no commit: the claim goes with the connection, as when the hub process is killed
    }

    @AfterAll
    static void closeDevice() throws Exception {
        device.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theNewHubPublishesEveryCommandLeftInTheOutbox() throws Exception {
        assertThat(IDS).hasSize(20);
        List<SimulatedDevice.Received> arrived = device.await("/commands", IDS.size(), Duration.ofSeconds(15));
        assertThat(arrived).extracting(c -> c.json().get("command_id").asText()).containsExactlyInAnyOrderElementsOf(IDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM device_command WHERE command_id = ANY(?) AND status = 'SENT' AND publish_count = 1",
                Integer.class, (Object) IDS.toArray(String[]::new)) == IDS.size());
    }
}
