package io.leapvpp.hub.leap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.sandbox.LeapOpenApiContract;
import io.leapvpp.hub.sandbox.LeapSandbox;
import io.leapvpp.hub.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub's Leap client against the Leap sandbox over real HTTP: paging over thousands of meters
 * delivers each exactly once, and every request the client makes conforms to Leap's OpenAPI.
 */
class LeapClientAgainstSandboxTest {

    private static final int METERS = 4_321;
    // the test profile's secret, so NoSecretsInLogsIT proves the client never logs it
    private static final String KEY = io.leapvpp.hub.HubTestEnvironment.LEAP_API_KEY;
    private static LeapSandbox sandbox;
    private static LeapClient client;

    @BeforeAll
    static void startSandbox() {
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withApiKey(KEY).withMeters(METERS)
                .withTimeScale(0.001).withBatchJobDelay(Duration.ofMillis(200))).start();
        client = new LeapClient(LeapProperties.of(sandbox.baseUrl(), KEY), new ObjectMapper());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.stop();
    }

    @Test
    void pagingOverThousandsOfMetersDeliversEachExactlyOnce() {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        int pages = client.forEachMeterDetailsPage(Map.of("page_size", 500), page -> page.forEach(meter -> {
            if (!seen.add(meter.path("meter_id").asText())) {
                duplicates.add(meter.path("meter_id").asText());
            }
        }));
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(METERS);
        assertThat(pages).isEqualTo((METERS + 499) / 500);

        // the streaming variant over the enrollment search, with a smaller page
        Set<String> enrolled = new HashSet<>();
        client.streamMeterEnrollments(Map.of("page_size", 250)).forEach(m -> assertThat(enrolled.add(m.path("meter_id").asText())).isTrue());
        assertThat(enrolled).isEqualTo(seen);
    }

    @Test
    void everyRequestTheHubMakesConformsToLeapsOpenApi() throws Exception {
        LeapOpenApiContract contract = LeapOpenApiContract.load();

        JsonNode page = client.searchMeterDetails(Map.of("page_size", 3, "transmission_region", "CAISO"));
        String meterId = page.path("meters").get(0).path("meter_id").asText();
        client.getMeterDetails(meterId);
        client.getMeterEnrollment(meterId);
        client.searchMeterEnrollments(Map.of("page_size", 2, "meter_ids", List.of(meterId)));
        client.putMeterDispatchWebhook(Map.of("url", "https://hub.example.com/leap/webhooks/dispatch/meter",
                "headers", List.of(Map.of("name", "x-api-key", "value", "receiver-secret"))));
        client.getMeterDispatchWebhook();
        client.putGroupDispatchWebhook(Map.of("url", "https://hub.example.com/leap/webhooks/dispatch/group",
                "headers", List.of(Map.of("name", "x-api-key", "value", "receiver-secret"))));
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        client.searchMeterDispatches(Map.of("start_date", today.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", today.plus(2, ChronoUnit.DAYS).toString()));
        client.searchGroupDispatches(Map.of("start_date", today.minus(1, ChronoUnit.DAYS).toString(),
                "end_date", today.plus(2, ChronoUnit.DAYS).toString()));
        JsonNode created = client.createWebhook(Map.of("receiver_url", "https://hub.example.com/leap/webhooks/events",
                "event_types", List.of("meter.created"), "headers", List.of(Map.of("name", "x-api-key", "value", "receiver-secret"))));
        String webhookId = created.path("webhook_id").asText();
        client.listWebhooks();
        client.updateWebhook(webhookId, Map.of("receiver_url", "https://hub.example.com/leap/webhooks/events",
                "event_types", List.of("meter.created", "meter.enrollment.global-status.updated"), "headers", List.of()));
        JsonNode job = client.createMeterBatchJob(Map.of("assets", List.of(Map.of(
                "partner_reference", "conformance-site-1", "transmission_region", "CAISO",
                "customer_classification", "COMMERCIAL", "load_types", List.of("HVAC"), "meter_type", "UTILITY_METER",
                "customer", Map.of("street_1", "1 Market St", "postal_code", "94105", "city", "San Francisco",
                        "state_or_province_code", "CA", "country_code", "US")))));
        String jobId = job.path("job_id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> !"PROCESSING".equals(client.getMeterBatchJob(jobId).path("status").asText()));
        client.listMeterBatchJobs();
        client.deleteWebhook(webhookId);

        HttpResponse<String> log = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/sandbox/requests")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode records = new ObjectMapper().readTree(log.body());
        JsonNode list = records.isArray() ? records : records.path("requests");
        List<String> problems = new ArrayList<>();
        Set<String> operations = new HashSet<>();
        for (JsonNode record : list) {
            LeapOpenApiContract.Exchange exchange = LeapOpenApiContract.Exchange.fromSandboxRecord(record);
            if (exchange.path().startsWith("/sandbox")) {
                continue;
            }
            operations.add(exchange.method() + " " + exchange.path().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}"));
            LeapOpenApiContract.Result result = contract.validate(exchange);
            if (!result.requestErrors().isEmpty()) {
                problems.add(exchange.method() + " " + exchange.path() + ": " + result.requestErrors());
            }
        }
        assertThat(operations).as("requests recorded by the sandbox").hasSizeGreaterThanOrEqualTo(14);
        assertThat(problems).isEmpty();
    }
}
