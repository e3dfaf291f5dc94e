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

    @Test
    void realisticBusinessFailuresNameTheFieldToFix() {
        Map<String, Object> wrongUtility = with(CreateMeterBodies.asset("util-site-1", "94103"), "utility", Map.of("utility_name", "CECONY"));
        Map<String, Object> noNumber = with(CreateMeterBodies.asset("addr-site-1", "94103"), "customer", Map.of("street_1", "Market Street",
                "postal_code", "94103", "city", "San Francisco", "state_or_province_code", "CA"));
        Map<String, Object> ercot = with(with(CreateMeterBodies.asset("tx-site-1", "75201"), "transmission_region", "ERCOT"),
                "customer", Map.of("street_1", "1 Main St", "postal_code", "75201", "city", "Dallas", "state_or_province_code", "TX"));
        ercot = with(ercot, "utility", Map.of("utility_name", "ONCOR"));
        Map<String, Object> first = with(CreateMeterBodies.asset("acct-site-1", "94103"), "utility",
                Map.of("utility_name", "PGE", "electric_service_account_number", "SA-777"));
        Map<String, Object> sameAccount = with(CreateMeterBodies.asset("acct-site-2", "94103"), "utility",
                Map.of("utility_name", "PGE", "electric_service_account_number", "SA-777"));
        JsonNode one = awaitDone(client.post("/v1.1/jobs/meters", Map.of("assets", List.of(wrongUtility, noNumber, ercot, first)))
                .json().path("job_id").asText());
        assertThat(one.path("assets")).extracting(a -> a.path("status_detail").path("name").asText())
                .containsExactly("VALIDATION_ERROR", "ADDRESS_INCOMPLETE", "ADDRESS_NOT_REGISTERED_FOR_ESIID", "METER_CREATED");
        assertThat(one.path("assets").get(0).path("status_detail").path("failed_fields").path("utility.utility_name").asText())
                .isEqualTo("CECONY does not serve CAISO");
        assertThat(one.path("assets").get(0).has("meter_id")).isFalse();
        JsonNode two = awaitDone(client.post("/v1.1/jobs/meters", Map.of("assets", List.of(sameAccount))).json().path("job_id").asText());
        assertThat(two.path("assets").get(0).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(two.path("assets").get(0).path("status_detail").path("name").asText()).isEqualTo("DUPLICATE_METER");
        assertThat(client.post("/v2/meters/search", Map.of("partner_references", List.of("acct-site-2"))).json().path("meters")).isEmpty();
    }

    @Test
    void aJobPostCanBeAnsweredTooLateOrWithA5xxAfterTheJobWasCreated() throws Exception {
        client.post("/sandbox/faults", Map.of("method", "POST", "path", "/v1.1/jobs/meters", "when", "after", "delay", "PT1S"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl()
                        + "/v1.1/jobs/meters?file_name=late-answer.json"))
                .timeout(Duration.ofMillis(200))
                .header("Authorization", "Bearer " + sandbox.settings().apiKey()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SandboxClient.JSON.writeValueAsString(
                        Map.of("assets", List.of(CreateMeterBodies.asset("late-site-1", "94103"))))))
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        JsonNode jobs = client.get("/v1.1/jobs/meters?filter=file_name:late-answer.json").json().path("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(awaitDone(jobs.get(0).path("job_id").asText()).path("status").asText()).isEqualTo("COMPLETED");

        client.post("/sandbox/faults", Map.of("method", "POST", "path", "/v1.1/jobs/meters", "when", "after", "status", 502));
        SandboxClient.Reply failed = client.post("/v1.1/jobs/meters?file_name=bad-gateway.json",
                Map.of("assets", List.of(CreateMeterBodies.asset("late-site-2", "94103"))));
        assertThat(failed.status()).isEqualTo(502);
        assertThat(client.get("/v1.1/jobs/meters?filter=file_name:bad-gateway.json").json().path("jobs")).hasSize(1);
        JsonNode faults = client.get("/sandbox/faults").json().path("faults");
        assertThat(faults).extracting(f -> f.path("injected").asInt()).containsExactly(1, 1);
        assertThat(faults.get(0).path("when").asText()).isEqualTo("after");
    }

    private static Map<String, Object> with(Map<String, Object> asset, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(asset);
        copy.put(key, value);
        return copy;
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
