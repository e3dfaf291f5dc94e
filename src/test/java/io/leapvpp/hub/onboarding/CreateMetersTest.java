package io.leapvpp.hub.onboarding;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.demo.DemoMailbox;
import io.leapvpp.hub.sandbox.LeapOpenApiContract;
import io.leapvpp.hub.sandbox.state.BatchJob;
import io.leapvpp.hub.sandbox.state.Meter;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Create Meters end to end against the real sandbox over HTTP, PostgreSQL, the SFTP server and the SMTP server: rows
 * of the partner table and of CSV files (folder and SFTP) become Leap meters whose ids are written back; Leap's
 * failures and the hub's own rule checks are written back with the reason and mailed once; changed rows are sent
 * again with update_existing=true; a job POST whose answer is lost is found in Leap's job list, never posted twice.
 * Runs are started by the test (direct:create-meters-run); the inbox consumers are live.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.onboarding.create-meters.chunk-size=2",
        "hub.onboarding.create-meters.inbox.folder.enabled=true",
        "hub.onboarding.create-meters.inbox.sftp.enabled=true",
        // a job POST held back 4 s by the sandbox times out
        "hub.leap.read-timeout=2s"})
class CreateMetersTest extends HubSpringTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path INBOX = Path.of("target/test-data/create-meters-inbox");
    static final String SFTP_DIRECTORY = "create-meters-test";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProducerTemplate producer;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** hub.api.key of the test profile. */
    static final String HUB_API_KEY = "test-api-SECRET-3f9b27";

    private final HttpClient http = HttpClient.newHttpClient();
    private String prefix;

    @BeforeEach
    void clean() throws Exception {
        prefix = "cm-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        jdbc.update("DELETE FROM create_meters_job_item");
        jdbc.update("DELETE FROM partner_enrollment");
        jdbc.update("DELETE FROM create_meters_job");
        jdbc.update("DELETE FROM csv_inbox_rejection WHERE file_id IN (SELECT id FROM csv_inbox_file WHERE inbox = 'create-meters')");
        jdbc.update("DELETE FROM csv_inbox_file WHERE inbox = 'create-meters'");
        sandbox("DELETE", "/sandbox/faults", null);
    }

    // ------------------------------------------------------------------ partner table

    @Test
    void tableRowsBecomeMetersAndTheirMeterIdsAreWrittenBack() throws Exception {
        String battery = prefix + "battery";
        String building = prefix + "building";
        insert(battery);
        insert(building, "transmission_region", "NYISO", "meter_type", "UTILITY_METER", "load_types", "HVAC,LIGHTING",
                "customer_street_1", "350 5th Ave", "customer_postal_code", "10118", "customer_city", "New York",
                "customer_state", "NY", "utility_name", "CECONY", "device_type", null);

        runUntil(() -> status(battery).equals("COMPLETED") && status(building).equals("COMPLETED"));

        for (String ref : List.of(battery, building)) {
            Map<String, Object> row = row(ref);
            Meter meter = HubTestEnvironment.sandbox().state().meters().findByPartnerReference(ref).orElseThrow();
            assertThat(row.get("meter_id")).hasToString(meter.meterId().toString());
            assertThat(row).containsEntry("leap_status", "COMPLETED").containsEntry("status_detail_name", "METER_CREATED");
            assertThat(row.get("leap_job_id")).isNotNull();
            assertThat(row.get("submitted_hash")).isEqualTo(row.get("checked_hash"));
        }
        Meter nyc = HubTestEnvironment.sandbox().state().meters().findByPartnerReference(building).orElseThrow();
        assertThat(nyc.transmissionRegion()).isEqualTo("NYISO");
        assertThat(nyc.loadTypes()).containsExactly("HVAC", "LIGHTING");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM create_meters_job WHERE status = 'COMPLETED'", Integer.class)).isEqualTo(1);

        // what the hub sent conforms to Leap's OpenAPI definition
        LeapOpenApiContract contract = LeapOpenApiContract.load();
        List<JsonNode> posts = jobPosts(battery);
        assertThat(posts).hasSize(1);
        for (JsonNode request : sandboxRequests("/v1.1/jobs/meters")) {
            if (request.path("body").asText("").contains(prefix) || request.path("method").asText().equals("GET")) {
                assertThat(contract.validate(LeapOpenApiContract.Exchange.fromSandboxRecord(request)).requestErrors())
                        .as(request.path("method").asText() + " " + request.path("path").asText()).isEmpty();
            }
        }
        assertThat(posts.get(0).path("query").asText()).startsWith("file_name=leap-vpp-hub-").doesNotContain("update_existing");

        // and the read API tells where each row stands
        HttpResponse<String> read = hub("/api/onboarding/enrollments?status=COMPLETED&partner_reference=" + battery, HUB_API_KEY);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode enrollment = JSON.readTree(read.body()).path("enrollments").get(0);
        assertThat(enrollment.path("meter_id").asText()).isEqualTo(row(battery).get("meter_id").toString());
        assertThat(enrollment.path("status_detail").path("name").asText()).isEqualTo("METER_CREATED");
        assertThat(enrollment.path("source").path("kind").asText()).isEqualTo("table");
        assertThat(JSON.readTree(hub("/api/onboarding/enrollments", HUB_API_KEY).body()).path("enrollments")).hasSize(2);
        assertThat(hub("/api/onboarding/enrollments", null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = hub("/api/onboarding/enrollments?status=DONE", HUB_API_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText()).isNotBlank();
    }

    private HttpResponse<String> hub(String path, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiveRowsWithChunkSizeTwoAreSentInThreeJobs() throws Exception {
        List<String> refs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            refs.add(prefix + "site-" + i);
            insert(refs.get(i - 1));
        }
        run();
        assertThat(jdbc.queryForList("SELECT asset_count FROM create_meters_job ORDER BY id", Integer.class)).containsExactly(2, 2, 1);
        assertThat(sandboxJobsWith(refs)).hasSize(3);
        runUntil(() -> refs.stream().allMatch(r -> status(r).equals("COMPLETED")));
        assertThat(jdbc.queryForList("SELECT DISTINCT leap_job_id::text FROM partner_enrollment", String.class)).hasSize(3);
    }

    @Test
    void aJobWithFailedRowsWritesLeapsReasonsBackAndMailsOperationsOnce() throws Exception {
        String good = prefix + "good";
        String duplicate = "site-00007"; // the sandbox's seeded meter: DUPLICATE_REF_ID without update_existing
        String outOfRegion = prefix + "nyc-in-caiso";
        String wrongUtility = prefix + "cecony-in-caiso";
        insert(good);
        insert(duplicate);
        insert(outOfRegion, "customer_street_1", "350 5th Ave", "customer_postal_code", "10118", "customer_city", "New York",
                "customer_state", "NY");
        insert(wrongUtility, "utility_name", "CECONY");
        // the first run's polls fail, so both jobs end in the same (second) run: one mail for the run
        fault(Map.of("method", "GET", "path", "/v1.1/jobs/meters/*", "status", 503, "count", 1000));
        run();
        assertThat(jdbc.queryForList("SELECT status FROM create_meters_job", String.class)).containsOnly("SUBMITTED");
        sandbox("DELETE", "/sandbox/faults", null);
        awaitSandboxJobsDone(List.of(good, duplicate, outOfRegion, wrongUtility));
        run();

        assertThat(status(good)).isEqualTo("COMPLETED");
        assertThat(row(duplicate)).containsEntry("status", "FAILED").containsEntry("leap_status", "DUPLICATE")
                .containsEntry("status_detail_name", "DUPLICATE_REF_ID");
        assertThat((String) row(duplicate).get("status_detail_description")).startsWith("Partner reference ID found on meter ID ");
        assertThat(row(duplicate).get("meter_id")).isNull();
        assertThat(row(outOfRegion)).containsEntry("status", "FAILED").containsEntry("leap_status", "FAILED")
                .containsEntry("status_detail_name", "UNSUPPORTED_ADDRESS");
        assertThat(row(outOfRegion).get("status_detail_failed_fields").toString()).contains("customer.state_or_province_code", "NY is not in CAISO");
        assertThat(row(wrongUtility)).containsEntry("status_detail_name", "VALIDATION_ERROR");
        assertThat(row(wrongUtility).get("status_detail_failed_fields").toString()).contains("CECONY does not serve CAISO");
        assertThat(jdbc.queryForList("SELECT status FROM create_meters_job ORDER BY id", String.class))
                .containsExactly("COMPLETED_WITH_ERRORS", "COMPLETED_WITH_ERRORS");

        List<String> mails = mailsContaining(outOfRegion);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0)).contains(duplicate, wrongUtility, "refused by Leap: DUPLICATE DUPLICATE_REF_ID",
                "refused by Leap: FAILED UNSUPPORTED_ADDRESS", "The address in NY is outside the transmission region CAISO.",
                "Failed fields: {\"customer.state_or_province_code\": \"NY is not in CAISO\"}")
                .doesNotContain(good);
        assertThat(row(outOfRegion).get("reported_at")).isNotNull();
        run();
        run();
        assertThat(mailsContaining(outOfRegion)).hasSize(1);
        // unchanged failed rows are not sent again
        assertThat(sandboxJobsWith(List.of(outOfRegion, wrongUtility, duplicate))).hasSize(2);
    }

    @Test
    void rowsThatBreakLeapsRulesAreKeptWithTheReasonAndNeverSent() throws Exception {
        String noRegion = prefix + "no-region";
        String badZip = prefix + "bad-zip";
        String badLoad = prefix + "bad-load";
        String badReference = prefix + "bad#ref";
        insert(noRegion, "transmission_region", null);
        insert(badZip, "customer_postal_code", "CA 94607");
        insert(badLoad, "load_types", "HVAC;SOLAR");
        insert(badReference);
        run();
        run();

        for (String ref : List.of(noRegion, badZip, badLoad, badReference)) {
            assertThat(row(ref)).as(ref).containsEntry("status", "INVALID").containsEntry("status_detail_name", "HUB_VALIDATION");
            assertThat(row(ref).get("submitted_hash")).isNull();
        }
        assertThat((String) row(badZip).get("status_detail_description"))
                .isEqualTo("Not sent to Leap: customer.postal_code (column customer_postal_code) 'CA 94607' does not match"
                        + " Leap's pattern ^[0-9]{5}(?:-[0-9]{4})?$");
        assertThat((String) row(noRegion).get("status_detail_description")).contains("transmission_region is required");
        assertThat((String) row(badLoad).get("status_detail_description")).contains("'SOLAR' is not one of Leap's values");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM create_meters_job", Integer.class)).isZero();
        assertThat(jobPosts(prefix)).isEmpty();
        List<String> mails = mailsContaining(badZip);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0)).contains("Not sent to Leap", "breaks Leap's rules", noRegion, badLoad, badReference,
                "partner_enrollment id ");

        // fixed, it goes out with the next run
        jdbc.update("UPDATE partner_enrollment SET customer_postal_code = '94607' WHERE partner_reference = ?", badZip);
        runUntil(() -> status(badZip).equals("COMPLETED"));
        assertThat(jobPosts(prefix)).hasSize(1);
        assertThat(status(noRegion)).isEqualTo("INVALID");
        assertThat(mailsContaining(badZip)).hasSize(1);
    }

    @Test
    void aChangedRowIsSentAgainWithUpdateExistingAndAnUnchangedOneIsNot() throws Exception {
        String changed = prefix + "changed";
        String unchanged = prefix + "unchanged";
        insert(changed);
        insert(unchanged);
        runUntil(() -> status(changed).equals("COMPLETED") && status(unchanged).equals("COMPLETED"));
        Object meterId = row(changed).get("meter_id");
        Object firstJob = row(unchanged).get("job_id");

        jdbc.update("UPDATE partner_enrollment SET battery_power_capacity_kw = 500, customer_street_2 = 'Dock 4' WHERE partner_reference = ?", changed);
        // a write that changes nothing Leap would see is not a change
        jdbc.update("UPDATE partner_enrollment SET customer_city = customer_city WHERE partner_reference = ?", unchanged);
        runUntil(() -> status(changed).equals("COMPLETED") && !row(changed).get("job_id").equals(firstJob));
        run();

        Map<String, Object> again = row(changed);
        assertThat(again).containsEntry("status_detail_name", "METER_UPDATED").containsEntry("submitted_update_existing", true);
        assertThat(again.get("meter_id")).isEqualTo(meterId);
        List<JsonNode> posts = jobPosts(changed);
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).path("query").asText()).contains("update_existing=true");
        assertThat(posts.get(1).path("body").asText()).doesNotContain(unchanged);
        Meter meter = HubTestEnvironment.sandbox().state().meters().findByPartnerReference(changed).orElseThrow();
        assertThat(meter.profile().path("device").path("battery_power_capacity_kw").asInt()).isEqualTo(500);
        assertThat(meter.profile().path("customer").path("street_2").asText()).isEqualTo("Dock 4");

        assertThat(row(unchanged).get("job_id")).isEqualTo(firstJob);
        assertThat(jobPosts(unchanged)).hasSize(1);
        assertThat(sandboxJobsWith(List.of(unchanged))).hasSize(1);
    }

    // ------------------------------------------------------------------ lost answers

    @Test
    void aJobPostAnswered5xxAfterLeapCreatedTheJobIsFoundInTheJobListAndNotPostedAgain() throws Exception {
        String ref = prefix + "lost-500";
        insert(ref);
        fault(Map.of("method", "POST", "path", "/v1.1/jobs/meters", "status", 500, "when", "after"));
        run();
        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM create_meters_job");
        assertThat(job).containsEntry("found_by_lookup", true).containsEntry("post_attempts", 1);
        assertThat((String) job.get("last_error")).contains("Outcome unknown", "500");
        runUntil(() -> status(ref).equals("COMPLETED"));
        assertThat(sandboxJobsWith(List.of(ref))).hasSize(1);
        assertThat(jobPosts(ref)).hasSize(1);
        assertThat(jobPosts(ref).get(0).path("response_status").asInt()).isEqualTo(500);
    }

    @Test
    void aJobPostThatTimesOutAfterLeapCreatedTheJobIsFoundInTheJobListAndNotPostedAgain() throws Exception {
        String ref = prefix + "lost-timeout";
        insert(ref);
        fault(Map.of("method", "POST", "path", "/v1.1/jobs/meters", "when", "after", "delay", "PT4S"));
        run();
        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM create_meters_job");
        assertThat(job).containsEntry("found_by_lookup", true).containsEntry("post_attempts", 1);
        assertThat((String) job.get("last_error")).contains("READ_TIMEOUT");
        runUntil(() -> status(ref).equals("COMPLETED"));
        run();
        assertThat(sandboxJobsWith(List.of(ref))).hasSize(1);
        assertThat(jobPosts(ref)).hasSize(1);
    }

    @Test
    void aJobPostThatLeapNeverGotIsPostedAgainOnlyAfterTheJobListStillLacksItPastTheGracePeriod() throws Exception {
        String ref = prefix + "lost-before";
        insert(ref);
        // 503 without serving: Leap created nothing, but the hub cannot know that
        fault(Map.of("method", "POST", "path", "/v1.1/jobs/meters", "status", 503, "when", "before"));
        long started = System.nanoTime();
        run();
        assertThat(jdbc.queryForMap("SELECT status, post_attempts FROM create_meters_job"))
                .containsEntry("status", "SUBMITTING").containsEntry("post_attempts", 1);
        assertThat(status(ref)).isEqualTo("SUBMITTING");
        // within the grace period (1 s in tests) the job list is asked again, nothing is posted
        run();
        if (Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(900)) < 0) {
            assertThat(jdbc.queryForObject("SELECT post_attempts FROM create_meters_job", Integer.class)).isEqualTo(1);
        }
        runUntil(() -> status(ref).equals("COMPLETED"));
        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM create_meters_job");
        assertThat(job).containsEntry("post_attempts", 2).containsEntry("found_by_lookup", false);
        List<JsonNode> posts = jobPosts(ref);
        assertThat(posts).extracting(p -> p.path("response_status").asInt()).containsExactly(503, 201);
        assertThat(posts.get(0).path("query").asText()).isEqualTo(posts.get(1).path("query").asText()); // same file_name
        assertThat(sandboxJobsWith(List.of(ref))).hasSize(1);
        assertThat(sandboxRequests("/v1.1/jobs/meters").stream().filter(r -> r.path("method").asText().equals("GET")
                && r.path("query").asText("").contains("file_name")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void afterARestartASubmittingJobIsLookedUpFirstAndPostedOnlyIfLeapDoesNotHaveIt() throws Exception {
        // the hub posted this job and stopped before it stored the answer: Leap has it
        String posted = prefix + "posted-before-stop";
        String fileName = "leap-vpp-hub-" + UUID.randomUUID() + ".json";
        long id = insert(posted);
        JsonNode body = JSON.readTree("{\"assets\":[" + asset(posted) + "]}");
        HttpResponse<String> created = sandbox("POST", "/v1.1/jobs/meters?file_name=" + fileName, body.toString());
        assertThat(created.statusCode()).isEqualTo(201);
        long jobId = submittingJob(fileName, body, 1, id, posted);

        // and this one it recorded but never posted
        String notPosted = prefix + "recorded-not-posted";
        String otherFile = "leap-vpp-hub-" + UUID.randomUUID() + ".json";
        long otherId = insert(notPosted);
        JsonNode otherBody = JSON.readTree("{\"assets\":[" + asset(notPosted) + "]}");
        long otherJob = submittingJob(otherFile, otherBody, 0, otherId, notPosted);

        run();
        assertThat(jdbc.queryForMap("SELECT status, found_by_lookup, post_attempts FROM create_meters_job WHERE id = ?", jobId))
                .containsEntry("found_by_lookup", true).containsEntry("post_attempts", 1);
        assertThat(jdbc.queryForMap("SELECT status, found_by_lookup, post_attempts FROM create_meters_job WHERE id = ?", otherJob))
                .containsEntry("found_by_lookup", false).containsEntry("post_attempts", 1);
        runUntil(() -> status(posted).equals("COMPLETED") && status(notPosted).equals("COMPLETED"));
        assertThat(sandboxJobsWith(List.of(posted))).hasSize(1);
        assertThat(jobPosts(posted)).hasSize(1); // the test's own POST, none from the hub
        assertThat(sandboxJobsWith(List.of(notPosted))).hasSize(1);
        assertThat(row(posted).get("meter_id")).hasToString(
                HubTestEnvironment.sandbox().state().meters().findByPartnerReference(posted).orElseThrow().meterId().toString());
    }

    @Test
    void leap5xxWhilePollingIsPolledAgainLater() throws Exception {
        String ref = prefix + "poll-503";
        insert(ref);
        fault(Map.of("method", "GET", "path", "/v1.1/jobs/meters/*", "status", 503, "count", 1000));
        run();
        run();
        assertThat(status(ref)).isEqualTo("SUBMITTED");
        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM create_meters_job");
        assertThat((Integer) job.get("poll_failures")).isGreaterThanOrEqualTo(1);
        assertThat((String) job.get("last_error")).contains("503");
        sandbox("DELETE", "/sandbox/faults", null);
        runUntil(() -> status(ref).equals("COMPLETED"));
        assertThat(jobPosts(ref)).hasSize(1);
    }

    // ------------------------------------------------------------------ CSV inbox

    @Test
    void aCsvDroppedIntoTheInboxFolderBecomesMetersWithTheirIdsWrittenBack() throws Exception {
        String a = prefix + "csv-a";
        String b = prefix + "csv-b";
        Files.createDirectories(INBOX);
        Path tmp = INBOX.resolve(prefix + "sites.csv.part");
        Files.writeString(tmp, csv(a, b));
        Files.move(tmp, INBOX.resolve(prefix + "sites.csv"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(20)).until(() -> rowCount(a, b) == 2);
        assertThat(row(a)).containsEntry("source", "csv").containsEntry("source_file", prefix + "sites.csv")
                .containsEntry("source_line", 2).containsEntry("end_customer_company_name", "Harbor Cold Storage Inc.");
        runUntil(() -> status(a).equals("COMPLETED") && status(b).equals("COMPLETED"));
        for (String ref : List.of(a, b)) {
            assertThat(row(ref).get("meter_id")).hasToString(
                    HubTestEnvironment.sandbox().state().meters().findByPartnerReference(ref).orElseThrow().meterId().toString());
        }
        Meter meter = HubTestEnvironment.sandbox().state().meters().findByPartnerReference(a).orElseThrow();
        assertThat(meter.profile().path("device").path("battery_energy_capacity_kwh").asInt()).isEqualTo(1000);
        long fileId = jdbc.queryForObject("SELECT id FROM csv_inbox_file WHERE file_name = ?", Long.class, prefix + "sites.csv");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(INBOX.resolve("done/" + fileId + "-" + prefix + "sites.csv")));
    }

    @Test
    void aCsvUploadedOverSftpBecomesMeters() throws Exception {
        String a = prefix + "sftp-a";
        String b = prefix + "sftp-b";
        CsvInboxTest.upload(SFTP_DIRECTORY, prefix + "sites.csv", csv(a, b));
        await().atMost(Duration.ofSeconds(20)).until(() -> rowCount(a, b) == 2);
        runUntil(() -> status(a).equals("COMPLETED") && status(b).equals("COMPLETED"));
        assertThat(row(b).get("meter_id")).hasToString(
                HubTestEnvironment.sandbox().state().meters().findByPartnerReference(b).orElseThrow().meterId().toString());
        Map<String, Object> file = jdbc.queryForMap("SELECT * FROM csv_inbox_file WHERE file_name = ?", prefix + "sites.csv");
        assertThat((String) file.get("source")).startsWith("sftp://");
        Path done = HubTestEnvironment.sftp().getRootDirectory().resolve(SFTP_DIRECTORY + "/done/" + file.get("id") + "-" + prefix + "sites.csv");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(done));
    }

    @Test
    void aCsvWithBadRowsStoresThemWithLineAndReasonTheGoodRowsGoThroughAndTheFileIsKept() throws Exception {
        String good = prefix + "good";
        String textInNumber = prefix + "text-in-number";
        String brokenRule = prefix + "broken-rule";
        String header = CSV_HEADER;
        String content = header + "\n"
                + line(good, "1000") + "\n"
                + line(textInNumber, "lots") + "\n"
                + prefix + "short,CAISO,COMMERCIAL\n"
                + line(brokenRule, "1000").replace(",94607,", ",946O7,") + "\n";
        Files.createDirectories(INBOX);
        Files.writeString(INBOX.resolve(prefix + "mixed.csv.part"), content);
        Files.move(INBOX.resolve(prefix + "mixed.csv.part"), INBOX.resolve(prefix + "mixed.csv"), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(INBOX.resolve(prefix + "wrong.csv.part"), "site;kw\nx;1\n");
        Files.move(INBOX.resolve(prefix + "wrong.csv.part"), INBOX.resolve(prefix + "wrong.csv"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM csv_inbox_file WHERE inbox = 'create-meters' AND finished_at IS NOT NULL", Integer.class) == 2);
        Map<String, Object> mixed = jdbc.queryForMap("SELECT * FROM csv_inbox_file WHERE file_name = ?", prefix + "mixed.csv");
        assertThat(mixed).containsEntry("status", "DONE_WITH_REJECTIONS").containsEntry("rows_total", 4)
                .containsEntry("rows_accepted", 2).containsEntry("rows_rejected", 2);
        List<Map<String, Object>> rejected = jdbc.queryForList(
                "SELECT line_number, reason, detail FROM csv_inbox_rejection WHERE file_id = ? ORDER BY line_number", mixed.get("id"));
        assertThat(rejected).extracting(r -> r.get("line_number")).containsExactly(3, 4);
        assertThat(rejected.get(0)).containsEntry("reason", "not-a-number");
        assertThat((String) rejected.get(0).get("detail")).isEqualTo("device.battery_energy_capacity_kwh: 'lots' is not a number ("
                + prefix + "mixed.csv line 3)");
        assertThat(rejected.get(1)).containsEntry("reason", "wrong-field-count");
        Map<String, Object> wrong = jdbc.queryForMap("SELECT * FROM csv_inbox_file WHERE file_name = ?", prefix + "wrong.csv");
        assertThat(wrong).containsEntry("status", "REJECTED").containsEntry("reason", "no-header");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(INBOX.resolve("error/" + wrong.get("id") + "-" + prefix + "wrong.csv"))
                && Files.exists(INBOX.resolve("done/" + mixed.get("id") + "-" + prefix + "mixed.csv")));

        runUntil(() -> status(good).equals("COMPLETED"));
        assertThat(row(brokenRule)).containsEntry("status", "INVALID").containsEntry("source_line", 5);
        assertThat(rowCount(textInNumber)).isZero();
        assertThat(jobPosts(brokenRule)).isEmpty();
        List<String> mails = mailsContaining(prefix + "mixed.csv");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0)).contains(brokenRule, "line 3: not-a-number", "line 4: wrong-field-count", prefix + "wrong.csv",
                "refused as a whole: no-header", prefix + "mixed.csv line 5");
    }

    @Test
    void theDocumentedExampleFilesDoWhatDocsOnboardingSays() throws Exception {
        Files.createDirectories(INBOX);
        Files.copy(Path.of("docs/examples/create-meters-ci-sites.csv"), INBOX.resolve("ci-sites.csv.part"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(INBOX.resolve("ci-sites.csv.part"), INBOX.resolve("ci-sites.csv"), StandardCopyOption.ATOMIC_MOVE);
        List<String> sites = List.of("ci-oakland-cold-storage", "ci-fresno-packing", "ci-irvine-offices", "ci-queens-warehouse",
                "ci-baltimore-plant", "ci-worcester-school");
        await().atMost(Duration.ofSeconds(20)).until(() -> rowCount(sites.toArray(String[]::new)) == 6);
        runUntil(() -> sites.stream().allMatch(r -> status(r).equals("COMPLETED")));
        for (String ref : sites) {
            assertThat(row(ref).get("meter_id")).as(ref).hasToString(
                    HubTestEnvironment.sandbox().state().meters().findByPartnerReference(ref).orElseThrow().meterId().toString());
        }
        assertThat(row("ci-oakland-cold-storage")).containsEntry("partner_row_id", "crm-1001");

        Files.copy(Path.of("docs/examples/create-meters-with-problems.csv"), INBOX.resolve("problems.csv.part"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(INBOX.resolve("problems.csv.part"), INBOX.resolve("problems.csv"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).until(() -> rowCount("ci-san-jose-lab", "ci-reno-gym") == 2);
        runUntil(() -> status("ci-san-jose-lab").equals("COMPLETED") && status("ci-newark-dc").equals("FAILED")
                && status("ci-reno-gym").equals("FAILED"));
        assertThat(status("ci-stockton-depot")).isEqualTo("INVALID");
        assertThat(status("ci-sacramento-mall")).isEqualTo("INVALID");
        assertThat(row("ci-newark-dc")).containsEntry("status_detail_name", "UNSUPPORTED_ADDRESS");
        assertThat(row("ci-reno-gym")).containsEntry("status_detail_name", "VALIDATION_ERROR");
        assertThat(rowCount("ci-modesto-cannery")).isZero();
        List<String> mails = mailsContaining("ci-newark-dc");
        assertThat(mails).isNotEmpty();
        assertThat(String.join("\n", mails)).contains("ci-stockton-depot", "ci-sacramento-mall", "ci-reno-gym",
                "problems.csv", "line 7: not-a-number");
    }

    // ------------------------------------------------------------------ fixtures

    static final String CSV_HEADER = "partner_reference,transmission_region,customer_classification,load_types,meter_type,"
            + "customer.street_1,customer.postal_code,customer.city,customer.state_or_province_code,"
            + "customer.end_customer_company_name,device.device_type,device.battery_energy_capacity_kwh,utility.utility_name";

    static String line(String ref, String kwh) {
        return ref + ",CAISO,COMMERCIAL,\"BATTERY_STORAGE;HVAC\",DEVICE,1200 Harbor Blvd,94607,Oakland,CA,"
                + "Harbor Cold Storage Inc.,BATTERY," + kwh + ",PGE";
    }

    static String csv(String... refs) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (String ref : refs) {
            sb.append(line(ref, "1000")).append('\n');
        }
        return sb.toString();
    }

    /** A valid C&I battery site in CAISO; pairs of column and value override it (null = no value). */
    private long insert(String ref, Object... overrides) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("partner_reference", ref);
        values.put("transmission_region", "CAISO");
        values.put("customer_classification", "COMMERCIAL");
        values.put("load_types", "BATTERY_STORAGE");
        values.put("meter_type", "DEVICE");
        values.put("customer_street_1", "1200 Harbor Blvd");
        values.put("customer_postal_code", "94607");
        values.put("customer_city", "Oakland");
        values.put("customer_state", "CA");
        values.put("end_customer_company_name", "Harbor Cold Storage Inc.");
        values.put("device_type", "BATTERY");
        values.put("battery_power_capacity_kw", 250);
        values.put("utility_name", "PGE");
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        String columns = String.join(", ", values.keySet());
        String marks = String.join(", ", values.keySet().stream().map(k -> "?").toList());
        return jdbc.queryForObject("INSERT INTO partner_enrollment (" + columns + ") VALUES (" + marks + ") RETURNING id",
                Long.class, values.values().toArray());
    }

    private static String asset(String ref) {
        return "{\"partner_reference\":\"" + ref + "\",\"transmission_region\":\"CAISO\",\"customer_classification\":\"COMMERCIAL\","
                + "\"load_types\":[\"BATTERY_STORAGE\"],\"meter_type\":\"DEVICE\",\"customer\":{\"street_1\":\"1200 Harbor Blvd\","
                + "\"postal_code\":\"94607\",\"city\":\"Oakland\",\"state_or_province_code\":\"CA\",\"country_code\":\"US\"}}";
    }

    /** The marker a hub leaves when it stops between recording a job and storing Leap's answer. */
    private long submittingJob(String fileName, JsonNode body, int postAttempts, long enrollmentId, String ref) {
        long jobId = jdbc.queryForObject("""
                INSERT INTO create_meters_job (file_name, update_existing, request_body, asset_count, partner_references,
                                               post_attempts, last_post_at)
                VALUES (?, false, CAST(? AS jsonb), 1, ARRAY[?], ?, now() - interval '1 hour') RETURNING id""",
                Long.class, fileName, body.toString(), ref, postAttempts);
        jdbc.update("INSERT INTO create_meters_job_item VALUES (?, 0, ?, ?, ?)", jobId, enrollmentId, ref, "0".repeat(64));
        jdbc.update("""
                UPDATE partner_enrollment SET status = 'SUBMITTING', job_id = ?, checked_version = content_version,
                       submitted_hash = ?, submitted_at = now() WHERE id = ?""", jobId, "0".repeat(64), enrollmentId);
        return jobId;
    }

    private void run() {
        producer.requestBody("direct:create-meters-run", (Object) null);
    }

    private void runUntil(Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            run();
            return done.call();
        });
    }

    private Map<String, Object> row(String ref) {
        return jdbc.queryForMap("SELECT * FROM partner_enrollment WHERE partner_reference = ?", ref);
    }

    private String status(String ref) {
        return jdbc.queryForObject("SELECT status FROM partner_enrollment WHERE partner_reference = ?", String.class, ref);
    }

    private int rowCount(String... refs) {
        return jdbc.queryForObject("SELECT count(*) FROM partner_enrollment WHERE partner_reference = ANY (?)", Integer.class,
                (Object) refs);
    }

    /** Jobs the sandbox holds that contain any of these partner references. */
    private static List<BatchJob> sandboxJobsWith(List<String> refs) {
        return HubTestEnvironment.sandbox().state().jobs().all().stream()
                .filter(j -> j.submitted().stream().anyMatch(a -> refs.contains(a.path("partner_reference").asText())))
                .toList();
    }

    private static void awaitSandboxJobsDone(List<String> refs) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sandboxJobsWith(refs).stream().noneMatch(j -> j.status().equals("PROCESSING")));
    }

    /** The create-meters job POSTs the sandbox received whose body names the text (a reference or a prefix). */
    private List<JsonNode> jobPosts(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : sandboxRequests("/v1.1/jobs/meters")) {
            if (r.path("method").asText().equals("POST") && r.path("path").asText().equals("/v1.1/jobs/meters")
                    && r.path("body").asText("").contains("\"" + text)) {
                out.add(r);
            }
        }
        return out;
    }

    private List<JsonNode> sandboxRequests(String prefix) throws Exception {
        JsonNode list = JSON.readTree(sandbox("GET", "/sandbox/requests?path_prefix=" + prefix, null).body()).path("requests");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    private void fault(Map<String, Object> fault) throws Exception {
        HttpResponse<String> r = sandbox("POST", "/sandbox/faults", JSON.writeValueAsString(fault));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> sandbox(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(HubTestEnvironment.sandbox().baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (!path.startsWith("/sandbox")) {
            b.header("Authorization", "Bearer " + HubTestEnvironment.LEAP_API_KEY);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Mails (subject and decoded text) that contain the marker. */
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

}
