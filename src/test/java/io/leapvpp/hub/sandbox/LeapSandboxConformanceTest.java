package io.leapvpp.hub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls every Leap endpoint the sandbox serves (success and main error cases) and validates each request/response
 * pair against Leap's OpenAPI definitions.
 */
class LeapSandboxConformanceTest {

    private static LeapSandbox sandbox;
    private static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withMeters(60).withTimeScale(0.001)
                .withBatchJobDelay(Duration.ofMillis(100_000))).start();
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
        receiver.close();
    }

    @Test
    void everyEndpointConformsToLeapsOpenApi() {
        LeapOpenApiContract contract = LeapOpenApiContract.load();
        SandboxClient c = new SandboxClient(sandbox.baseUrl(), sandbox.settings().apiKey());
        List<SandboxClient.Reply> undeclared = new ArrayList<>();

        // --- meter details & enrollments
        JsonNode page = c.post("/v2/meters/search", Map.of("page_size", 5)).json();
        assertThat(page.path("meters")).hasSize(5);
        assertThat(page.hasNonNull("next_page_token")).isTrue();
        String meterId = page.path("meters").get(0).path("meter_id").asText();
        c.post("/v2/meters/search", Map.of("page_size", 5, "page_token", page.path("next_page_token").asText()));
        c.post("/v2/meters/search", Map.of("transmission_region", "CAISO", "global_enrollment_statuses", List.of("ACTIVE"),
                "meter_types", List.of("UTILITY_METER"), "exclude_archived", true, "created_after_date_time", "2023-01-01T00:00:00Z"));
        assertThat(c.get("/v2/meters/" + meterId).status()).isEqualTo(200);
        assertThat(c.get("/v2/meters/" + meterId + "/enrollments").status()).isEqualTo(200);
        assertThat(c.post("/v2/meters/enrollments/search", Map.of("partner_action_required", true)).json().path("meters")).isNotEmpty();
        assertThat(c.get("/v2/meters/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(c.get("/v2/meters/" + UUID.randomUUID() + "/enrollments").status()).isEqualTo(404);
        assertThat(c.get("/v2/meters/not-a-uuid").json().path("details").path("meter_id").asText()).isEqualTo("not-a-uuid");
        assertThat(c.post("/v2/meters/search", Map.of("page_size", 501)).status()).isEqualTo(400);
        assertThat(c.post("/v2/meters/enrollments/search", Map.of("global_enrollment_statuses", List.of("NOPE"))).status()).isEqualTo(400);
        assertThat(c.post("/v2/meters/search", "{not json").status()).isEqualTo(400);
        assertThat(c.send("POST", "/v2/meters/search", Map.of(), null).status()).isEqualTo(401);
        assertThat(c.send("GET", "/v2/meters/" + meterId, null, sandbox.settings().wrongEnvironmentKey()).status()).isEqualTo(403);

        // --- create meters
        receiverSubscribes(c);
        Map<String, Object> asset = CreateMeterBodies.asset("conf-site-001", "94103");
        SandboxClient.Reply created = c.post("/v1.1/jobs/meters?update_existing=false&file_name=upload-1.json", Map.of("assets", List.of(asset)));
        assertThat(created.status()).isEqualTo(201);
        String jobId = created.json().path("job_id").asText();
        assertThat(c.get("/v1.1/jobs/meters/" + jobId).json().path("status").asText()).isEqualTo("PROCESSING");
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.get("/v1.1/jobs/meters/" + jobId).json().path("status").asText().equals("PROCESSING"));
        assertThat(c.get("/v1.1/jobs/meters?page_size=10").json().path("jobs")).isNotEmpty();
        SandboxClient.Reply invalid = c.post("/v1.1/jobs/meters", Map.of("assets", List.of(Map.of("partner_reference", "ab"))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("details").get(0).path("json_index").asInt()).isEqualTo(0);
        undeclared.add(c.get("/v1.1/jobs/meters/" + UUID.randomUUID()));
        assertThat(undeclared.get(undeclared.size() - 1).status()).isEqualTo(404);
        assertThat(c.send("POST", "/v1.1/jobs/meters", Map.of("assets", List.of(asset)), sandbox.settings().wrongEnvironmentKey()).status()).isEqualTo(403);
        // per-asset business failures, the job list's filters and search, and a job POST answered 500 after the job
        // was created (control API fault, when=after)
        Map<String, Object> outOfRegion = new java.util.HashMap<>(CreateMeterBodies.asset("conf-site-003", "10001"));
        outOfRegion.put("customer", Map.of("street_1", "4 Broadway", "postal_code", "10001", "city", "New York",
                "state_or_province_code", "NY", "country_code", "US"));
        String mixedJob = c.post("/v1.1/jobs/meters?file_name=conf-mixed.json", Map.of("assets", List.of(
                CreateMeterBodies.asset("conf-site-001", "94103"), outOfRegion))).json().path("job_id").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.get("/v1.1/jobs/meters/" + mixedJob).json().path("status").asText().equals("PROCESSING"));
        JsonNode mixed = c.get("/v1.1/jobs/meters/" + mixedJob).json();
        assertThat(mixed.path("status").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(mixed.path("assets")).extracting(a -> a.path("status_detail").path("name").asText())
                .containsExactly("DUPLICATE_REF_ID", "UNSUPPORTED_ADDRESS");
        assertThat(mixed.path("assets").get(1).path("status_detail").path("failed_fields").path("customer.state_or_province_code").asText())
                .isEqualTo("NY is not in CAISO");
        assertThat(c.get("/v1.1/jobs/meters?filter=file_name:conf-mixed.json").json().path("jobs")).hasSize(1);
        assertThat(c.get("/v1.1/jobs/meters?filter=status:COMPLETED_WITH_ERRORS&filter=file_name:conf-mixed.json,upload-1.json")
                .json().path("jobs")).hasSize(1);
        assertThat(c.get("/v1.1/jobs/meters?search_query=conf-site-003&search_fields=partner_reference").json().path("jobs")
                .get(0).path("job_id").asText()).isEqualTo(mixedJob);
        undeclared.add(c.get("/v1.1/jobs/meters?search_query=conf"));
        assertThat(undeclared.get(undeclared.size() - 1).status()).isEqualTo(400);
        c.post("/sandbox/faults", Map.of("method", "POST", "path", "/v1.1/jobs/meters", "status", 500, "when", "after"));
        SandboxClient.Reply lost = c.post("/v1.1/jobs/meters?file_name=conf-lost.json", Map.of("assets", List.of(
                CreateMeterBodies.asset("conf-site-004", "94103"))));
        assertThat(lost.status()).isEqualTo(500);
        assertThat(lost.body()).isEqualTo("\"An error happened whilst processing your request\"");
        assertThat(c.get("/v1.1/jobs/meters?filter=file_name:conf-lost.json").json().path("jobs")).hasSize(1);
        c.post("/sandbox/faults", Map.of("method", "GET", "path", "/v1.1/jobs/meters/*", "status", 503));
        undeclared.add(c.get("/v1.1/jobs/meters/" + mixedJob));
        assertThat(undeclared.get(undeclared.size() - 1).status()).isEqualTo(503);
        SandboxClient.Reply single = c.post("/v1.1/meters", Map.of("onboarding_token", "token-1",
                "provisional_asset", CreateMeterBodies.asset("conf-site-002", "10001")));
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.json().path("status").asText()).isEqualTo("COMPLETED");
        SandboxClient.Reply singleInvalid = c.post("/v1.1/meters", Map.of("provisional_asset", Map.of()));
        assertThat(singleInvalid.status()).isEqualTo(400);
        assertThat(singleInvalid.json().path("errors")).isNotEmpty();

        // --- dispatch webhooks, integration tests, communication test, search
        assertThat(c.get("/v2/dispatch/meter/webhook").status()).isEqualTo(404);
        assertThat(c.delete("/v2/dispatch/group/webhook").status()).isEqualTo(404);
        Map<String, Object> hook = Map.of("url", receiver.url(), "headers", List.of(Map.of("name", "X-Api-Key", "value", "secret")));
        assertThat(c.put("/v2/dispatch/meter/webhook", hook).status()).isEqualTo(200);
        assertThat(c.put("/v2/dispatch/group/webhook", hook).status()).isEqualTo(200);
        assertThat(c.put("/v2/dispatch/meter/webhook", Map.of("headers", List.of())).status()).isEqualTo(400);
        assertThat(c.get("/v2/dispatch/meter/webhook").json().path("url").asText()).isEqualTo(receiver.url());
        assertThat(c.get("/v2/dispatch/group/webhook").status()).isEqualTo(200);
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        SandboxClient.Reply meterTest = c.post("/v2/dispatch/meter/webhook/integration_test",
                Map.of("meter_dispatches", List.of(Map.of("meter_id", meterId, "timeslots", List.of(timeslot("meter_event_id", start))))));
        assertThat(meterTest.status()).isEqualTo(200);
        assertThat(meterTest.json().path("http_status").asInt()).isEqualTo(200);
        SandboxClient.Reply groupTest = c.post("/v2/dispatch/group/webhook/integration_test",
                Map.of("group_dispatches", List.of(Map.of("market_group_id", UUID.randomUUID().toString(), "meter_ids", List.of(meterId),
                        "timeslots", List.of(timeslot("market_group_event_id", start))))));
        assertThat(groupTest.status()).isEqualTo(200);
        assertThat(c.post("/v2/dispatch/meter/webhook/integration_test", Map.of("meter_dispatches", List.of())).status()).isEqualTo(400);
        SandboxClient.Reply comm = c.post("/v2/dispatch/meter/communication_test", Map.of("start_time", start.toString(),
                "end_time", start.plus(1, ChronoUnit.HOURS).toString(), "program", "CCA", "meter_uuids", List.of(meterId),
                "test_event", false, "dispatch_quantity_kw", 50, "approved", true));
        assertThat(comm.status()).isEqualTo(201);
        assertThat(c.post("/v2/dispatch/meter/communication_test", Map.of("start_time", start.toString(),
                "end_time", start.plus(40, ChronoUnit.DAYS).toString(), "program", "CCA", "meter_uuids", List.of(meterId))).status()).isEqualTo(400);
        c.post("/sandbox/dispatches/group", Map.of());
        Map<String, Object> window = Map.of("start_date", start.minus(1, ChronoUnit.DAYS).toString(), "end_date", start.plus(2, ChronoUnit.DAYS).toString());
        JsonNode meterSearch = c.post("/v2/dispatch/meter/search", window).json();
        assertThat(meterSearch.path("results").get(0).path("timeslots").get(0).path("communication_test").asBoolean()).isTrue();
        assertThat(c.post("/v2/dispatch/group/search", window).json().path("results")).isNotEmpty();
        assertThat(c.post("/v2/dispatch/meter/search", Map.of("start_date", start.toString(),
                "end_date", start.plus(32, ChronoUnit.DAYS).toString())).status()).isEqualTo(400);
        assertThat(c.send("POST", "/v2/dispatch/meter/search", window, null).json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(c.delete("/v2/dispatch/meter/webhook").status()).isEqualTo(204);
        assertThat(c.delete("/v2/dispatch/group/webhook").status()).isEqualTo(204);

        // --- general webhook subscriptions
        assertThat(c.get("/v1.1/webhooks").json().path("webhooks")).hasSize(1);
        String webhookId = c.get("/v1.1/webhooks").json().path("webhooks").get(0).path("webhook_id").asText();
        assertThat(c.put("/v1.1/webhooks/" + webhookId, Map.of("receiver_url", receiver.url(),
                "event_types", List.of("meter.created", "meter.enrollment.group.updated"))).status()).isEqualTo(200);
        assertThat(c.get("/v1.1/webhooks").json().path("webhooks").get(0).path("headers")).isEmpty();
        SandboxClient.Reply test = c.post("/v1.1/webhooks/" + webhookId + "/test",
                Map.of("webhook_event_type", "meter.created", "meter_id", meterId, "partner_reference", "sample-ref-123",
                        "transmission_region", "CAISO"));
        assertThat(test.json().path("is_successful").asBoolean()).isTrue();
        assertThat(c.put("/v1.1/webhooks/" + UUID.randomUUID(), Map.of("receiver_url", receiver.url(), "event_types", List.of("meter.created"))).status()).isEqualTo(404);
        assertThat(c.post("/v1.1/webhooks/" + UUID.randomUUID() + "/test", Map.of("webhook_event_type", "meter.created")).status()).isEqualTo(404);
        undeclared.add(c.post("/v1.1/webhooks", Map.of("receiver_url", "not a url", "event_types", List.of("nope"))));
        assertThat(c.send("GET", "/v1.1/webhooks", null, null).status()).isEqualTo(401);
        assertThat(c.delete("/v1.1/webhooks/" + webhookId).json().path("message").asText()).isNotBlank();
        assertThat(c.delete("/v1.1/webhooks/" + webhookId).status()).isEqualTo(404);

        // --- validate every exchange
        List<String> failures = new ArrayList<>();
        int undeclaredCount = 0;
        for (LeapOpenApiContract.Exchange e : c.exchanges) {
            LeapOpenApiContract.Result r = contract.validate(e);
            boolean authProbe = e.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("authorization"));
            List<String> requestErrors = authProbe ? List.of() : r.requestErrors();
            if (e.status() < 400 && !requestErrors.isEmpty()) failures.add(e.method() + " " + e.path() + " request " + requestErrors);
            if (!r.responseErrors().isEmpty()) failures.add(e.method() + " " + e.path() + " " + e.status() + " response " + r.responseErrors());
            if (r.undeclaredStatus()) {
                undeclaredCount++;
                assertErrorEnvelope(r.spec(), e);
            }
            if (e.status() >= 400) assertErrorEnvelope(r.spec(), e);
        }
        assertThat(failures).isEmpty();
        assertThat(undeclaredCount).isGreaterThanOrEqualTo(undeclared.size());
        assertThat(c.exchanges.size()).isGreaterThan(50);
    }

    @Test
    void theHubsRecordedRequestsCanBeValidatedFromTheRequestLog() {
        LeapOpenApiContract contract = LeapOpenApiContract.load();
        SandboxClient c = new SandboxClient(sandbox.baseUrl(), sandbox.settings().apiKey());
        c.post("/v2/meters/search", Map.of("page_size", 3, "tags", List.of("c-and-i")));
        c.post("/v2/dispatch/meter/search", Map.of("start_date", "2025-01-01T00:00:00Z", "end_date", "2025-03-01T00:00:00Z"));
        JsonNode log = c.get("/sandbox/requests?path_prefix=/v2/").json().path("requests");
        JsonNode meterSearch = last(log, "/v2/meters/search");
        JsonNode dispatchSearch = last(log, "/v2/dispatch/meter/search");
        assertThat(meterSearch.path("headers").path("authorization").get(0).asText()).isEqualTo("Bearer ***");
        assertThat(contract.validate(LeapOpenApiContract.Exchange.fromSandboxRecord(meterSearch)).valid()).isTrue();
        LeapOpenApiContract.Result tooLong = contract.validate(LeapOpenApiContract.Exchange.fromSandboxRecord(dispatchSearch));
        assertThat(dispatchSearch.path("response_status").asInt()).isEqualTo(400);
        assertThat(tooLong.requestErrors()).isEmpty(); // the 59-day window is valid JSON-schema-wise; the 31-day rule is Leap's
        assertThat(tooLong.responseErrors()).isEmpty();
        // a request that breaks the schema is caught
        LeapOpenApiContract.Exchange bad = new LeapOpenApiContract.Exchange("POST", "/v2/meters/search", null,
                Map.of("Content-Type", List.of("application/json"), "Authorization", List.of("Bearer x")),
                "{\"page_size\": 0, \"meter_types\": [\"NOPE\"]}", 400, "application/json", "{\"title\":\"Bad Request\",\"status\":400,\"details\":{}}");
        assertThat(contract.validate(bad).requestErrors()).isNotEmpty();
    }

    private static JsonNode last(JsonNode log, String path) {
        JsonNode found = null;
        for (JsonNode r : log) if (r.path("path").asText().equals(path)) found = r;
        assertThat(found).as("recorded " + path).isNotNull();
        return found;
    }

    private static void assertErrorEnvelope(String spec, LeapOpenApiContract.Exchange e) {
        JsonNode body;
        try {
            body = SandboxClient.JSON.readTree(e.responseBody());
        } catch (Exception ex) {
            throw new AssertionError("error body is not JSON: " + e.responseBody());
        }
        switch (spec) {
            case "dispatch" -> assertThat(body.has("code") && body.has("message")).as(e.responseBody()).isTrue();
            case "webhooks" -> assertThat(body.has("error") && body.has("message")).as(e.responseBody()).isTrue();
            default -> {
                if (e.path().equals("/v1.1/meters") && e.status() == 400) assertThat(body.has("errors")).isTrue();
                // create-meters declares its 500 as a plain string (the spec's example)
                else if (e.status() == 500 && spec.equals("create-meters")) assertThat(body.isTextual()).as(e.responseBody()).isTrue();
                else assertThat(body.has("title") && body.path("status").asInt() == e.status()).as(e.responseBody()).isTrue();
            }
        }
    }

    private static void receiverSubscribes(SandboxClient c) {
        SandboxClient.Reply r = c.post("/v1.1/webhooks", Map.of("receiver_url", receiver.url(), "event_types", List.of("meter.created"),
                "headers", List.of(Map.of("name", "X-Api-Key", "value", "k"))));
        assertThat(r.status()).isEqualTo(200);
    }

    static Map<String, Object> timeslot(String idField, Instant start) {
        return Map.ofEntries(Map.entry(idField, UUID.randomUUID().toString()), Map.entry("start_time", start.toString()),
                Map.entry("end_time", start.plus(1, ChronoUnit.HOURS).toString()), Map.entry("cancelled", false),
                Map.entry("energy_kw", 8), Map.entry("nomination_kw", 10), Map.entry("priority", 2),
                Map.entry("is_voluntary", false), Map.entry("performance_compensation_cap", "up-to-site-load"),
                Map.entry("dispatch_event_types", List.of("day-ahead")), Map.entry("programs", List.of("CCA")));
    }
}
