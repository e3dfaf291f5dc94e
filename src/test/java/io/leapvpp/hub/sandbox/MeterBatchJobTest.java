package io.leapvpp.hub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Create-meters jobs: PROCESSING, then per-asset outcomes, searchable meters and meter.created pushes. */
class MeterBatchJobTest {

    private LeapSandbox sandbox;
    private TestReceiver receiver;
    private SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        // job delay 5 Leap-minutes at scale 0.001 = 300 ms: long enough to observe PROCESSING
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withMeters(20).withTimeScale(0.001)
                .withBatchJobDelay(Duration.ofMinutes(5))).start();
        receiver = new TestReceiver();
        client = new SandboxClient(sandbox.baseUrl(), sandbox.settings().apiKey());
        client.post("/v1.1/webhooks", Map.of("receiver_url", receiver.url(), "event_types", List.of("meter.created")));
    }

    @AfterEach
    void stop() {
        sandbox.stop();
        receiver.close();
    }

    @Test
    void jobCompletesCreatesSearchableMetersAndPushesMeterCreated() {
        String jobId = client.post("/v1.1/jobs/meters", Map.of("assets", List.of(
                CreateMeterBodies.asset("new-site-1", "94103"), CreateMeterBodies.asset("new-site-2", "10001")))).json().path("job_id").asText();
        JsonNode processing = client.get("/v1.1/jobs/meters/" + jobId).json();
        assertThat(processing.path("status").asText()).isEqualTo("PROCESSING");
        assertThat(processing.path("assets")).allSatisfy(a -> assertThat(a.path("status").asText()).isEqualTo("PROCESSING"));

        JsonNode done = awaitDone(jobId);
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("assets_created_count").asInt()).isEqualTo(2);
        JsonNode asset = done.path("assets").get(0);
        assertThat(asset.path("status_detail").path("name").asText()).isEqualTo("METER_CREATED");
        String meterId = asset.path("meter_id").asText();
        JsonNode found = client.post("/v2/meters/search", Map.of("partner_references", List.of("new-site-1"))).json();
        assertThat(found.path("meters").get(0).path("meter_id").asText()).isEqualTo(meterId);
        assertThat(found.path("meters").get(0).path("audit").path("created_by").asText()).isEqualTo("PARTNER");

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received.size() == 2);
        JsonNode event = SandboxClient.JSON.valueToTree(read(receiver.received.get(0).body()));
        assertThat(event.path("webhook_event_id").asText()).hasSize(36);
        assertThat(event.path("payload").path("webhook_event_type").asText()).isEqualTo("meter.created");
        assertThat(List.of(event.path("payload").path("meter_id").asText(), SandboxClient.JSON.valueToTree(read(receiver.received.get(1).body()))
                .path("payload").path("meter_id").asText())).contains(meterId);
    }

    @Test
    void duplicatesAndBusinessFailuresCompleteWithErrorsAndUpdateExistingOverwrites() {
        String jobId = client.post("/v1.1/jobs/meters", Map.of("assets", List.of(
                CreateMeterBodies.asset("site-00001", "94103"),
                CreateMeterBodies.asset("zip-site-1", "00012"),
                CreateMeterBodies.asset("fresh-site-1", "94103")))).json().path("job_id").asText();
        JsonNode done = awaitDone(jobId);
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(done.path("assets")).extracting(a -> a.path("status_detail").path("name").asText())
                .containsExactly("DUPLICATE_REF_ID", "UNSUPPORTED_ZIP_CODE", "METER_CREATED");
        assertThat(done.path("assets").get(0).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(done.path("assets_failed_count").asInt()).isEqualTo(2);

        String existingId = client.post("/v2/meters/search", Map.of("partner_references", List.of("site-00001"))).json()
                .path("meters").get(0).path("meter_id").asText();
        String updateJob = client.post("/v1.1/jobs/meters?update_existing=true", Map.of("assets", List.of(
                CreateMeterBodies.asset("site-00001", "94103")))).json().path("job_id").asText();
        JsonNode updated = awaitDone(updateJob);
        assertThat(updated.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(updated.path("assets").get(0).path("status_detail").path("name").asText()).isEqualTo("METER_UPDATED");
        assertThat(updated.path("assets").get(0).path("meter_id").asText()).isEqualTo(existingId);
        JsonNode details = client.get("/v2/meters/" + existingId).json();
        assertThat(details.path("meter_type").asText()).isEqualTo("DEVICE");
        assertThat(details.path("customer").path("city").asText()).isEqualTo("San Francisco");
        assertThat(client.get("/v1.1/jobs/meters?page_size=1").json().path("next_page_token").asText()).isNotEmpty();
    }

    private JsonNode awaitDone(String jobId) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !client.get("/v1.1/jobs/meters/" + jobId).json().path("status").asText().equals("PROCESSING"));
        return client.get("/v1.1/jobs/meters/" + jobId).json();
    }

    private static Object read(String json) {
        try {
            return SandboxClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
