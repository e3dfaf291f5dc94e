package io.leapvpp.hub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.HubApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Five-minute demo walkthrough", steps 5 to 8, against the hub in demo mode (embedded PostgreSQL,
 * MQTT, SFTP, SMTP and the Leap sandbox in the same process), over HTTP, SMTP and files only, as a person following
 * the README would: a Connect link mailed to the customer; a drop-off played in the sandbox and the reminders it brings;
 * a CSV of new C&I sites that become meters in the sandbox with their meter_ids written back; an enrollment change
 * in the sandbox that the inventory follows within seconds through Leap's platform event.
 * <p>
 * Differences from {@code mvn spring-boot:run}, all by property: free ports and a temp data dir (as in
 * {@link DemoModeTest}); the reminder cadence 4 s / 6 s / 8 s instead of 30 / 60 / 90 s; and no scheduled inventory
 * sync, so only the platform event can bring an enrollment change into the inventory.
 */
class DemoWalkthroughTest {

    static final String HUB_API_KEY = "demo-api-key";
    static final String LEAP_API_KEY = "demo-leap-api-key";
    static final Path CI_SITES_CSV = Path.of("docs/examples/create-meters-ci-sites.csv");
    /** An enrollment change must reach the inventory within this; the scheduled syncs are switched off here. */
    static final Duration EVENT_DEADLINE = Duration.ofSeconds(5);

    @TempDir
    static Path dataDir;

    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper json = new ObjectMapper();

    static ConfigurableApplicationContext hub;
    static String hubUrl;
    static String sandboxUrl;

    @BeforeAll
    static void startTheDemo() throws Exception {
        int hubPort = freePort();
        int postgres = freePort();
        int mqtt = freePort();
        int sftp = freePort();
        int smtp = freePort();
        int sandbox = freePort();
        // no profile given: the demo profile is the default
        hub = new SpringApplicationBuilder(HubApplication.class).run(
                "--hub.demo.data-dir=" + dataDir,
                "--server.port=" + hubPort,
                "--hub.demo.postgres.port=" + postgres,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres + "/postgres",
                "--hub.demo.mqtt.port=" + mqtt,
                "--hub.mqtt.broker-url=tcp://127.0.0.1:" + mqtt,
                "--hub.demo.sftp.port=" + sftp,
                "--hub.sftp.port=" + sftp,
                "--hub.demo.smtp.port=" + smtp,
                "--hub.mail.port=" + smtp,
                "--hub.sandbox.port=" + sandbox,
                "--hub.leap.base-url=http://127.0.0.1:" + sandbox,
                "--hub.routes.reload=false",
                // the demo's Connect cadence (20 s inactivity, reminders 30 / 60 / 90 s after the drop-off), shortened
                "--hub.onboarding.connect.drop-off.inactivity=3s",
                "--hub.onboarding.connect.drop-off.check-interval=500ms",
                "--hub.onboarding.connect.reminders.offsets=4s,6s,8s",
                "--hub.onboarding.connect.mail.check-interval=500ms",
                // the inventory is loaded once at start; after that only Leap's platform events can change it
                "--hub.inventory.delta-sync.enabled=false",
                "--hub.inventory.full-sync.enabled=false");
        hubUrl = "http://127.0.0.1:" + hubPort;
        sandboxUrl = "http://127.0.0.1:" + sandbox;
        await().atMost(Duration.ofSeconds(30)).until(() -> get(hubUrl + "/actuator/health/readiness").status() == 200);
    }

    @AfterAll
    static void stopTheDemo() {
        if (hub != null) {
            hub.close();
        }
    }

    // ---- step 5: the inventory follows Leap -----------------------------------------------------------------------

    @Test
    void step5_anEnrollmentChangeInTheSandboxReachesTheInventoryWithinSeconds() throws Exception {
        awaitTheHubSubscribedToPlatformEvents();
        // loaded from Leap at start
        JsonNode meter = await().atMost(Duration.ofSeconds(30)).until(
                () -> hubApi("/api/meters?partner_reference=site-00001").json().path("meters").path(0), JsonNode::isObject);
        String meterId = meter.path("meter_id").asText();
        String before = meter.path("global_enrollment_status").asText();
        String after = "INELIGIBLE".equals(before) ? "ELIGIBLE" : "INELIGIBLE";

        JsonNode published = sandbox("POST", "/sandbox/meters/" + meterId + "/status", Map.of("global_enrollment_status", after));
        long changedAt = System.nanoTime();
        assertThat(published.path("event").path("payload").path("webhook_event_type").asText())
                .isEqualTo("meter.enrollment.global-status.updated");
        assertThat(published.path("delivery_ids")).as("the sandbox pushes the event to its subscribers").hasSize(1);

        await().atMost(EVENT_DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(hubApi("/api/meters/" + meterId).json().path("global_enrollment_status").asText()).isEqualTo(after));
        System.out.printf("Enrollment change %s -> %s in the inventory after %d ms%n", before, after,
                Duration.ofNanos(System.nanoTime() - changedAt).toMillis());

        // and it came by the push: Leap's event reached the hub's receiver and was answered 200
        JsonNode attempts = get(sandboxUrl + "/sandbox/deliveries?delivery_id=" + published.path("delivery_ids").get(0).asText())
                .json().path("deliveries");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).path("url").asText()).isEqualTo(hubUrl + "/leap/webhooks/events");
        assertThat(attempts.get(0).path("response_status").asInt()).isEqualTo(200);
    }

    // ---- step 6: Leap Connect --------------------------------------------------------------------------------------

    @Test
    void step6_aConnectLinkIsMailedToTheCustomer() throws Exception {
        String url = issueConnectLink("acme-site-7", "facilities@acme.example");
        assertThat(url).isEqualTo("https://onboarding.leap.energy/demo-partner/ci-utilities/?requestedUtilities=PGE&refId=acme-site-7");

        // on the demo mail page (step 8)
        Mail mail = await().atMost(Duration.ofSeconds(15)).until(() -> mailsTo("facilities@acme.example"), m -> !m.isEmpty()).get(0);
        assertThat(mail.subject()).isEqualTo("Connect your utility account: one step to join the grid program");
        assertThat(mail.text()).contains("(acme-site-7)").contains("  " + url + "\n");
        // and as a file for any mail client
        assertThat(dataDir.resolve("mail/" + mail.id() + ".eml")).content().contains("To: facilities@acme.example");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode link = hubApi("/api/onboarding/connect-sessions/acme-site-7").json().path("links").path(0);
            assertThat(link.path("url").asText()).isEqualTo(url);
            assertThat(link.path("email_status").asText()).isEqualTo("SENT");
        });
    }

    @Test
    void step6_aCustomerWhoLeavesConnectEarlyGetsTheReminders() throws Exception {
        String ref = "acme-site-8";
        String customer = "energy@acme.example";
        String url = issueConnectLink(ref, customer);
        awaitTheHubSubscribedToPlatformEvents();

        // the customer opens the link, moves on, leaves early
        customerStep(ref, "/sandbox/connect-sessions", Map.of("partner_reference", ref), 1);
        customerStep(ref, "/sandbox/connect-sessions/" + ref + "/advance", null, 2);
        customerStep(ref, "/sandbox/connect-sessions/" + ref + "/close", null, 3);

        List<Mail> reminders = await().atMost(Duration.ofSeconds(30)).until(
                () -> mailsTo(customer).stream().filter(m -> m.subject().startsWith("Reminder:")).toList(), r -> r.size() >= 3);
        assertThat(reminders).hasSize(3);
        assertThat(reminders).allSatisfy(m -> {
            assertThat(m.subject()).isEqualTo("Reminder: finish connecting your utility account");
            assertThat(m.text()).contains("(" + ref + ")").contains("  " + url + "\n");
        });
        assertThat(reminders).extracting(m -> m.text().lines().filter(l -> l.startsWith("Reminder ")).findFirst().orElse(""))
                .containsExactly("Reminder 1 of 3, sent by leap-vpp-hub on behalf of your energy partner.",
                        "Reminder 2 of 3, sent by leap-vpp-hub on behalf of your energy partner.",
                        "Reminder 3 of 3, sent by leap-vpp-hub on behalf of your energy partner.");

        JsonNode session = await().atMost(Duration.ofSeconds(5)).until(() -> hubApi("/api/onboarding/connect-sessions/" + ref).json(),
                s -> s.path("reminders").findValuesAsText("status").equals(List.of("SENT", "SENT", "SENT")));
        assertThat(session.path("status").asText()).isEqualTo("CLOSED");
        assertThat(session.path("completed").asBoolean()).isFalse();
        assertThat(session.path("dropped_off_at").isTextual()).as("dropped_off_at is set").isTrue();
        assertThat(session.path("drop_off_reason").asText()).isEqualTo("SESSION_CLOSED");
        assertThat(session.path("events").findValuesAsText("status")).containsExactly("CREATED", "UPDATED", "CLOSED");
        assertThat(session.path("events").findValuesAsText("outcome")).containsOnly("APPLIED");
        assertThat(session.path("reminders").findValuesAsText("recipient")).containsOnly(customer);
        assertThat(session.path("reminders").findValuesAsText("reminder_number")).containsExactly("1", "2", "3");
    }

    // ---- step 7: Create Meters from a CSV ---------------------------------------------------------------------------

    @Test
    void step7_aCsvOfNewSitesBecomesMetersInTheSandboxWithTheirMeterIdsWrittenBack() throws Exception {
        List<String> references = partnerReferences(CI_SITES_CSV);
        assertThat(references).hasSize(6);
        assertThat(searchMetersAtLeap(references)).as("not at Leap before the upload").isEmpty();

        // under a temporary name, then renamed
        Path inbox = Files.createDirectories(dataDir.resolve("inbox/create-meters"));
        Path part = inbox.resolve("sites.csv.part");
        Files.copy(CI_SITES_CSV, part);
        Files.move(part, inbox.resolve("sites.csv"), StandardCopyOption.ATOMIC_MOVE);

        Map<String, String> written = await().atMost(Duration.ofSeconds(60)).until(() -> meterIdsWrittenBack(references),
                ids -> ids.size() == references.size());
        Map<String, String> atLeap = searchMetersAtLeap(references);
        assertThat(atLeap).as("meter_id per partner_reference, as Leap has it").isEqualTo(written);

        assertThat(inbox.resolve("sites.csv")).doesNotExist();
        try (Stream<Path> done = Files.list(inbox.resolve("done"))) {
            assertThat(done.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-sites.csv"));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** POST /api/onboarding/connect-links as in the README; the link's URL. */
    private static String issueConnectLink(String ref, String email) throws Exception {
        Reply r = send("POST", hubUrl + "/api/onboarding/connect-links", Map.of("partner_reference", ref,
                "requested_utilities", List.of("PGE"), "customer_email", email), Map.of("x-api-key", HUB_API_KEY));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("url").asText();
    }

    /**
     * One step of the customer in Connect, played in the sandbox, which pushes Leap's connect_session event to the hub.
     * Like a person typing the README's commands one after the other, the next step waits until the hub has the event:
     * Leap's pushes carry no time and may overtake each other.
     */
    private static void customerStep(String ref, String path, Object body, int eventsSoFar) throws Exception {
        sandbox("POST", path, body);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Reply r = send("GET", hubUrl + "/api/onboarding/connect-sessions/" + ref, null, Map.of("x-api-key", HUB_API_KEY));
            return r.status() == 200 && r.json().path("events").size() >= eventsSoFar;
        });
    }

    /** The hub subscribes at Leap shortly after it started; Leap pushes platform events only from then on. */
    private static void awaitTheHubSubscribedToPlatformEvents() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                leap("GET", "/v1.1/webhooks", null).json().path("webhooks").findValuesAsText("receiver_url"))
                .contains(hubUrl + "/leap/webhooks/events"));
    }

    /** partner_reference -> meter_id of the rows of GET /api/onboarding/enrollments that are COMPLETED with a meter_id. */
    private static Map<String, String> meterIdsWrittenBack(List<String> references) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode e : hubApi("/api/onboarding/enrollments").json().path("enrollments")) {
            String ref = e.path("partner_reference").asText();
            if (references.contains(ref) && "COMPLETED".equals(e.path("status").asText()) && e.hasNonNull("meter_id")) {
                ids.put(ref, e.path("meter_id").asText());
            }
        }
        return ids;
    }

    /** partner_reference -> meter_id of Leap's meters with those references (POST /v2/meters/search). */
    private static Map<String, String> searchMetersAtLeap(List<String> references) throws Exception {
        Reply r = leap("POST", "/v2/meters/search", Map.of("partner_references", references, "page_size", 500));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode m : r.json().path("meters")) {
            ids.put(m.path("partner_reference").asText(), m.path("meter_id").asText());
        }
        return ids;
    }

    private static List<String> partnerReferences(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf(','))).toList();
    }

    /** One mail as the demo mail page shows it. */
    record Mail(String id, String to, String subject, String text) {
    }

    /** The mail to the address on the demo mail page (GET /demo/mail.json, then each mail's text), oldest first. */
    private static List<Mail> mailsTo(String address) throws Exception {
        List<Mail> mails = new ArrayList<>();
        for (JsonNode summary : get(hubUrl + "/demo/mail.json").json()) {
            if (summary.path("to").asText().contains(address)) {
                String text = get(hubUrl + "/demo/mail/" + URLEncoder.encode(summary.path("id").asText(), StandardCharsets.UTF_8)).body();
                mails.add(new Mail(summary.path("id").asText(), summary.path("to").asText(), summary.path("subject").asText(), text.replace("\r\n", "\n")));
            }
        }
        Collections.reverse(mails); // the page lists newest first
        return mails;
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return json.readTree(body);
        }
    }

    private static Reply hubApi(String path) throws Exception {
        Reply r = send("GET", hubUrl + path, null, Map.of("x-api-key", HUB_API_KEY));
        assertThat(r.status()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    private static Reply leap(String method, String path, Object body) throws Exception {
        return send(method, sandboxUrl + path, body, Map.of("Authorization", "Bearer " + LEAP_API_KEY));
    }

    /** The sandbox's control API (docs/leap-sandbox.md), no auth. */
    private static JsonNode sandbox(String method, String path, Object body) throws Exception {
        Reply r = send(method, sandboxUrl + path, body, Map.of());
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return r.json();
    }

    private static Reply get(String url) throws Exception {
        return send("GET", url, null, Map.of());
    }

    private static Reply send(String method, String url, Object body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
