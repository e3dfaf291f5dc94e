package io.leapvpp.hub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Full walks over 10,000+ meters: every meter exactly once, and filters narrow the walk. */
class MeterSearchPagingTest {

    private static final int METERS = 10_500;
    private static LeapSandbox sandbox;
    private static SandboxClient client;

    @BeforeAll
    static void start() {
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withMeters(METERS).withSeed(7)).start();
        client = new SandboxClient(sandbox.baseUrl(), sandbox.settings().apiKey());
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @Test
    void detailsWalkReturnsEveryMeterExactlyOnce() {
        List<JsonNode> meters = walk("/v2/meters/search", Map.of());
        assertExactlyOnce(meters, METERS);
    }

    @Test
    void enrollmentsWalkReturnsEveryMeterExactlyOnceEvenWhileMetersAreCreated() {
        List<JsonNode> meters = new ArrayList<>();
        Map<String, Object> body = new HashMap<>(Map.of("page_size", 500));
        int pages = 0;
        while (true) {
            JsonNode page = client.post("/v2/meters/enrollments/search", body).json();
            page.path("meters").forEach(meters::add);
            pages++;
            if (pages == 3) {
                // a meter created mid-walk sorts last (newest created_at) and must not disturb the cursor
                sandbox.state().meters().create((com.fasterxml.jackson.databind.node.ObjectNode)
                        SandboxClient.JSON.valueToTree(CreateMeterBodies.asset("mid-walk-001", "94103")), "PARTNER");
            }
            if (!page.hasNonNull("next_page_token")) break;
            body.put("page_token", page.path("next_page_token").asText());
        }
        assertThat(pages).isEqualTo((METERS + 1 + 499) / 500);
        assertExactlyOnce(meters, METERS + 1);
        assertThat(meters.get(meters.size() - 1).path("partner_reference").asText()).isEqualTo("mid-walk-001");
        assertThat(meters.get(0).has("global_enrollment_status")).isTrue();
    }

    @Test
    void filtersNarrowTheWalk() {
        List<JsonNode> caisoActive = walk("/v2/meters/enrollments/search",
                Map.of("transmission_region", "CAISO", "global_enrollment_statuses", List.of("ACTIVE"), "exclude_archived", true));
        long expected = sandbox.state().meters().all().stream()
                .filter(m -> m.transmissionRegion().equals("CAISO") && m.globalEnrollmentStatus().equals("ACTIVE") && !m.archived())
                .count();
        assertThat(caisoActive).hasSize((int) expected).isNotEmpty();
        assertThat(caisoActive).allSatisfy(m -> {
            assertThat(m.path("transmission_region").asText()).isEqualTo("CAISO");
            assertThat(m.path("global_enrollment_status").asText()).isEqualTo("ACTIVE");
            assertThat(m.path("is_archived").asBoolean()).isFalse();
        });
        assertThat(expected).isLessThan(METERS / 2);

        List<JsonNode> withActions = walk("/v2/meters/enrollments/search", Map.of("partner_action_required", true,
                "action_type", List.of("NO_MISSING_FIELDS")));
        assertThat(withActions).isNotEmpty().allSatisfy(m ->
                assertThat(m.path("required_actions").path("partner").get(0).path("action_type").asText()).isEqualTo("NO_MISSING_FIELDS"));

        List<JsonNode> archivedIncluded = walk("/v2/meters/search", Map.of("meter_types", List.of("DEVICE")));
        assertThat(archivedIncluded).anyMatch(m -> m.path("is_archived").asBoolean())
                .allMatch(m -> m.path("meter_type").asText().equals("DEVICE"));

        JsonNode byRef = client.post("/v2/meters/search", Map.of("partner_references", List.of("site-00042", "site-10500"))).json();
        assertThat(byRef.path("meters")).extracting(m -> m.path("partner_reference").asText())
                .containsExactlyInAnyOrder("site-00042", "site-10500");
        assertThat(byRef.has("next_page_token")).isFalse();

        String id = byRef.path("meters").get(0).path("meter_id").asText();
        assertThat(client.post("/v2/meters/search", Map.of("meter_ids", List.of(id))).json().path("meters")).hasSize(1);

        List<JsonNode> recent = walk("/v2/meters/search", Map.of("created_after_date_time", "2025-01-01T00:00:00Z",
                "created_before_date_time", "2025-03-01T00:00:00Z"));
        assertThat(recent).isNotEmpty().hasSizeLessThan(METERS / 5).allSatisfy(m ->
                assertThat(m.path("audit").path("created_at").asText()).startsWith("2025-0"));
    }

    @Test
    void seedingIsDeterministic() {
        var again = io.leapvpp.hub.sandbox.state.MeterSeeder.generate(METERS, 7);
        var first = sandbox.state().meters().all().iterator().next();
        assertThat(again.meters().get(0).meterId()).isEqualTo(first.meterId());
        assertThat(again.meters().get(0).profile()).isEqualTo(first.profile());
        var other = io.leapvpp.hub.sandbox.state.MeterSeeder.generate(10, 8);
        assertThat(other.meters().get(0).meterId()).isNotEqualTo(first.meterId());
    }

    private static List<JsonNode> walk(String path, Map<String, Object> filter) {
        List<JsonNode> out = new ArrayList<>();
        Map<String, Object> body = new HashMap<>(filter);
        body.put("page_size", 500);
        while (true) {
            SandboxClient.Reply reply = client.post(path, body);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode page = reply.json();
            assertThat(page.path("meters").size()).isLessThanOrEqualTo(500);
            page.path("meters").forEach(out::add);
            if (!page.hasNonNull("next_page_token")) return out;
            body.put("page_token", page.path("next_page_token").asText());
        }
    }

    private static void assertExactlyOnce(List<JsonNode> meters, int expected) {
        Set<String> ids = new HashSet<>();
        for (JsonNode m : meters) assertThat(ids.add(m.path("meter_id").asText())).as("duplicate " + m.path("meter_id")).isTrue();
        assertThat(ids).hasSize(expected);
    }
}
