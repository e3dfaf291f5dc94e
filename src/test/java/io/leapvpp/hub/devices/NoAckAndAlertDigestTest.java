package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.demo.DemoMailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No ack: re-sent, then FAILED and reported in one digest mail; an alert storm is one mail (issue 3, items 6, 10). */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.devices.outbox.enabled=true",
        "hub.devices.ack-timeout=1s",
        "hub.devices.max-resends=2",
        "hub.devices.ack-check-interval=200ms",
        "hub.alerts.digest-window=2s",
        "hub.alerts.grace-period=500ms"})
class NoAckAndAlertDigestTest extends HubSpringTest {

    @Autowired
    JdbcTemplate jdbc;

    /** Mails (decoded text) that contain the marker. */
    static List<String> mailsContaining(String marker) throws Exception {
        DemoMailbox mailbox = HubTestEnvironment.smtp().getMailbox();
        List<String> hits = new ArrayList<>();
        for (DemoMailbox.MailSummary summary : mailbox.list()) {
            MimeMessage message = mailbox.message(summary.id()).orElseThrow();
            String text = (summary.subject() + "\n" + message.getContent()).replace("\r\n", "\n");
            if (text.contains(marker)) {
                hits.add(text);
            }
        }
        return hits;
    }

    @Test
    void aCommandWithoutAckIsResentThenFailedAndReportedByMail() throws Exception {
        DeviceFixtures fixtures = new DeviceFixtures(jdbc);
        String gw = DeviceFixtures.gateway("gw-silent");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gw + "/commands")) {
            String id = fixtures.scheduled(gw);
            await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(fixtures.status(id)));
            // the first publish and max-resends (2) re-publications, all with the same command_id
            assertThat(fixtures.publishCount(id)).isEqualTo(3);
            List<SimulatedDevice.Received> copies = device.await("/commands", 3, Duration.ofSeconds(5));
            assertThat(copies).hasSize(3).extracting(c -> c.json().get("command_id").asText()).containsOnly(id);
            assertThat(fixtures.eventState(id)).isEqualTo("FAILED");
            assertThat(jdbc.queryForObject("SELECT last_error FROM device_command WHERE command_id = ?", String.class, id))
                    .contains("no ack after 3 publications");

            await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(id).isEmpty());
            Thread.sleep(2500); // one more window: the alert is not mailed twice
            List<String> mails = mailsContaining(id);
            assertThat(mails).hasSize(1);
            assertThat(mails.get(0)).contains("device command FAILED: no ack").contains(gw).contains("dispatch alert(s)");
            assertThat(jdbc.queryForObject("SELECT sent_at IS NOT NULL FROM hub_alert WHERE reference = ?", Boolean.class, id)).isTrue();
        }
    }

    @Test
    void anAlertStormOfRejectedDeliveriesIsOneMail() throws Exception {
        String marker = "storm-" + UUID.randomUUID();
        for (int i = 0; i < 200; i++) {
            jdbc.update("""
                    INSERT INTO hub_rejected_input (source, reason, detail, body, body_bytes)
                    VALUES ('dispatch-webhook-meter', 'invalid-body', ?, '{}', 2)""", marker + " #" + i);
        }
        // a rejected input from another use case is not a dispatch alert
        jdbc.update("INSERT INTO hub_rejected_input (source, reason, detail) VALUES ('inventory-csv', 'bad-row', ?)", marker + " inventory");

        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(marker).isEmpty());
        Thread.sleep(2500);
        List<String> mails = mailsContaining(marker);
        assertThat(mails).as("one digest for the whole storm").hasSize(1);
        String mail = mails.get(0);
        for (int i = 0; i < 200; i++) {
            assertThat(mail).contains(marker + " #" + i + "\n");
        }
        assertThat(mail).doesNotContain(marker + " inventory").contains("Leap dispatch delivery rejected by the hub");
    }
}
