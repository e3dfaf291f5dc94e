package io.leapvpp.hub.devices;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the outbox publisher learns of commands, with the backstop poll out of the way (once at start, then hourly):
 * what this hub's intake commits is handed over in memory and claimed by id (the NOTIFY of the same commit is
 * recognised as the hub's own and wakes nothing); what another writer commits arrives by its NOTIFY; what does not
 * fit in the hand-over queue (three commands here) is found by a search.
 */
@TestPropertySource(properties = {
        "hub.devices.outbox.enabled=true", // the test profile holds commands
        "hub.devices.outbox.poll-interval=1h",
        "hub.devices.outbox.hand-over-limit=3"})
@DirtiesContext
class OutboxWakeupPathsTest extends HubSpringTest {

    private static final String WEBHOOK_SECRET = "test-webhook-SECRET-5a1e0c";

    @LocalServerPort
    int port;

    @Autowired
    DeviceOutbox outbox;

    @Autowired
    OutboxWakeups wakeups;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void commandsThisHubCommittedAreHandedOverAndTheirNotifyIsIgnored() throws Exception {
        List<String> gateways = gateways("handed-over", 2);
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), topics(gateways))) {
            long claimedBefore = outbox.claimedByHandOver();
            long notifyWakeupsBefore = wakeups.notifyWakeups();

            assertThat(postMeterDispatch(gateways).statusCode()).isEqualTo(200);

            assertThat(gatewaysOf(device.await("/commands", 2, Duration.ofSeconds(10)))).containsExactlyInAnyOrderElementsOf(gateways);
            assertThat(outbox.claimedByHandOver() - claimedBefore).as("commands claimed by id after the hand-over").isEqualTo(2);
            Thread.sleep(1_000); // the NOTIFY of the intake's commit has come and gone by now
            assertThat(wakeups.notifyWakeups()).as("wake-ups by a NOTIFY").isEqualTo(notifyWakeupsBefore);
        }
    }

    @Test
    void commandsBeyondTheHandOverLimitAreFoundByASearch() throws Exception {
        List<String> gateways = gateways("beyond-limit", 5);
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), topics(gateways))) {
            assertThat(postMeterDispatch(gateways).statusCode()).isEqualTo(200);

            assertThat(gatewaysOf(device.await("/commands", 5, Duration.ofSeconds(10)))).containsExactlyInAnyOrderElementsOf(gateways);
        }
    }

    @Test
    void aCommandAnotherWriterCommittedArrivesByItsNotify() throws Exception {
        // its own connections, as another hub on the same database has
        DriverManagerDataSource elsewhere = new DriverManagerDataSource(HubTestEnvironment.postgres().jdbcUrl(), "postgres", "");
        DeviceFixtures otherHub = new DeviceFixtures(new JdbcTemplate(elsewhere));
        String gateway = DeviceFixtures.gateway("other-writer");
        try (SimulatedDevice device = new SimulatedDevice(HubTestEnvironment.mqtt().getBrokerUrl(), "vpp/" + gateway + "/commands")) {
            long notifyWakeupsBefore = wakeups.notifyWakeups();
            String commandId = otherHub.scheduled(gateway);

            assertThat(device.await("/commands", 1, Duration.ofSeconds(10)))
                    .singleElement().satisfies(c -> assertThat(c.json().path("command_id").asText()).isEqualTo(commandId));
            assertThat(wakeups.notifyWakeups()).as("wake-ups by a NOTIFY").isGreaterThan(notifyWakeupsBefore);
        }
    }

    private HttpResponse<String> postMeterDispatch(List<String> gateways) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
        String dispatches = gateways.stream().map(gateway -> """
                {"meter_id": "%s", "partner_reference": "%s", "timeslots": [
                  {"meter_event_id": "%s", "start_time": "%s", "end_time": "%s", "cancelled": false,
                   "energy_kw": 5, "nomination_kw": 10, "priority": 2, "is_voluntary": false,
                   "performance_compensation_cap": "up-to-site-load", "dispatch_event_types": ["day-ahead"], "programs": ["CCA"]}]}"""
                .formatted(UUID.randomUUID(), gateway, UUID.randomUUID(), start, start.plus(1, ChronoUnit.HOURS)))
                .collect(Collectors.joining(","));
        String body = """
                {"integration_test_notification": false, "communication_test": false, "meter_dispatches": [%s]}""".formatted(dispatches);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leap/webhooks/dispatch/meter"))
                .header("Content-Type", "application/json").header("x-api-key", WEBHOOK_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> gateways(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> DeviceFixtures.gateway(prefix)).toList();
    }

    private static String[] topics(List<String> gateways) {
        return gateways.stream().map(g -> "vpp/" + g + "/commands").toArray(String[]::new);
    }

    private static List<String> gatewaysOf(List<SimulatedDevice.Received> commands) {
        return commands.stream().map(c -> c.json().path("partner_reference").asText()).toList();
    }
}
