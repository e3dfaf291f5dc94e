package io.leapvpp.hub.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.sandbox.state.MarketGroup;
import io.leapvpp.hub.sandbox.state.Meter;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory inside the booted hub: the route {@code direct:inventory-apply-event} with the seven platform event
 * shapes of asyncapi/events.yml (the shared sandbox is only read, never changed), and the read API over HTTP.
 */
class InventoryRoutesTest extends HubSpringTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @Test
    void theSevenPlatformEventShapesThroughTheRoute() {
        List<Meter> meters = HubTestEnvironment.sandbox().state().meters().all().stream()
                .filter(m -> !m.archived()).skip(150).limit(4).toList();
        Meter a = meters.get(0);
        MarketGroup group = HubTestEnvironment.sandbox().state().meters().marketGroups().get(0);
        List<String> members = HubTestEnvironment.sandbox().state().meters().membersOf(group.id()).stream()
                .map(m -> m.meterId().toString()).toList();

        assertThat(apply("connect_session.updated", Map.of("partner_reference", "customer-site-123", "status", "CREATED")))
                .isEqualTo("IGNORED");
        assertThat(apply("connect_session.authorization_updated", Map.of("partner_reference", "customer-site-123",
                "utility_name", "PGE", "status", "INITIATED"))).isEqualTo("IGNORED");
        assertThat(apply("meter.created", Map.of("meter_id", a.meterId().toString(), "partner_reference", a.partnerReference(),
                "transmission_region", a.transmissionRegion(), "meter_type", a.meterType()))).isEqualTo("APPLIED");
        Meter b = meters.get(1);
        assertThat(apply("meter.enrollment.global-status.updated", Map.of("meter_id", b.meterId().toString(),
                "transmission_region", b.transmissionRegion(), "global_enrollment_status", b.globalEnrollmentStatus(),
                "partner_reference", b.partnerReference(), "meter_type", b.meterType()))).isEqualTo("APPLIED");
        Meter c = meters.get(2);
        assertThat(apply("meter.enrollment.participation-status.updated", Map.of("meter_id", c.meterId().toString(),
                "transmission_region", c.transmissionRegion(), "participation_preference", "PARTICIPATE",
                "start_time", "2025-01-01T00:00:00Z"))).isEqualTo("APPLIED");
        Meter d = meters.get(3);
        assertThat(apply("meter.enrollment.required-actions.updated", Map.of("meter_id", d.meterId().toString(),
                "transmission_region", d.transmissionRegion(), "global_enrollment_status", d.globalEnrollmentStatus(),
                "required_actions", Map.of()))).isEqualTo("APPLIED");
        assertThat(apply("meter.enrollment.group.updated", Map.of("market_group_id", group.id().toString(),
                "market_group_name", group.name(), "start_date_time", group.startDateTime().toString(),
                "end_date_time", group.endDateTime().toString(), "meter_ids", members))).isEqualTo("APPLIED");

        for (Meter m : meters) {
            assertThat(jdbc.queryForObject("SELECT partner_reference FROM meter_inventory WHERE meter_id = ?", String.class, m.meterId()))
                    .isEqualTo(m.partnerReference());
        }
        assertThat(jdbc.queryForList("SELECT meter_id::text FROM market_group_member WHERE market_group_id = ? AND left_at IS NULL",
                String.class, group.id())).containsExactlyInAnyOrderElementsOf(members);
    }

    @Test
    void readApiAnswersWithLeapsFieldNamesAndGuardsItsKey() throws Exception {
        Meter m = HubTestEnvironment.sandbox().state().meters().all().stream()
                .filter(x -> !x.archived() && !x.programEnrollment().isEmpty()).skip(170).findFirst().orElseThrow();
        assertThat(apply("meter.created", Map.of("meter_id", m.meterId().toString(), "transmission_region", m.transmissionRegion())))
                .isEqualTo("APPLIED");

        HttpResponse<String> ok = get("/api/meters/" + m.meterId(), "test-api-SECRET-3f9b27");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(ok.headers().firstValue("x-api-key")).isEmpty();
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.path("meter_id").asText()).isEqualTo(m.meterId().toString());
        assertThat(body.path("partner_reference").asText()).isEqualTo(m.partnerReference());
        assertThat(body.path("meter_type").asText()).isEqualTo(m.meterType());
        assertThat(body.path("transmission_region").asText()).isEqualTo(m.transmissionRegion());
        assertThat(body.path("global_enrollment_status").asText()).isEqualTo(m.globalEnrollmentStatus());
        assertThat(body.path("is_archived").asBoolean(true)).isFalse();
        assertThat(body.path("program_enrollment")).hasSize(m.programEnrollment().size());
        assertThat(body.path("program_enrollment").get(0).path("program_identifier").asText())
                .isEqualTo(m.programEnrollment().get(0).programIdentifier());
        assertThat(body.path("required_actions").path("partner").isArray()).isTrue();
        assertThat(body.path("required_actions").path("leap").isArray()).isTrue();
        assertThat(body.path("participation_preferences").isArray()).isTrue();
        assertThat(body.path("market_groups").isArray()).isTrue();
        assertThat(body.path("gateways").get(0).path("gateway_reference").asText()).isEqualTo(m.partnerReference());
        assertThat(body.path("audit").path("updated_at").asText()).isNotBlank();

        HttpResponse<String> byRef = get("/api/meters?partner_reference=" + m.partnerReference(), "test-api-SECRET-3f9b27");
        assertThat(byRef.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byRef.body()).path("meters").get(0).path("meter_id").asText()).isEqualTo(m.meterId().toString());

        assertError(get("/api/meters/" + m.meterId(), null), 401);
        assertError(get("/api/meters/" + m.meterId(), "test-api-SECRET-3f9b27-but-longer"), 401);
        assertError(get("/api/meters/" + m.meterId(), "wrong"), 401);
        assertError(get("/api/meters?partner_reference=" + m.partnerReference(), null), 401);
        assertError(get("/api/meters/" + UUID.randomUUID(), "test-api-SECRET-3f9b27"), 404);
        assertError(get("/api/meters?partner_reference=no-such-site", "test-api-SECRET-3f9b27"), 404);
        assertError(get("/api/meters/not-a-uuid", "test-api-SECRET-3f9b27"), 400);
        assertError(get("/api/meters", "test-api-SECRET-3f9b27"), 400);
    }

    @Test
    void schedulesAreOffInTheTestProfileAndTheRoutesAreThere() {
        for (String id : List.of("inventory-delta-sync", "inventory-full-sync", "inventory-initial-load")) {
            assertThat(camel.getRoute(id)).as(id).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus(id).isStarted()).as(id + " started").isFalse();
        }
        for (String id : List.of("inventory-apply-event", "inventory-sync-on-demand", "inventory-read-meter",
                "inventory-read-meters-by-reference")) {
            assertThat(camel.getRouteController().getRouteStatus(id).isStarted()).as(id).isTrue();
        }
    }

    private String apply(String type, Map<String, Object> fields) {
        ObjectNode e = InventoryEventsTest.envelope(type, fields);
        JsonNode result = producer.requestBody("direct:inventory-apply-event", e.toString(), JsonNode.class);
        assertThat(result.path("webhook_event_id").asText()).isEqualTo(e.path("webhook_event_id").asText());
        return result.path("outcome").asText();
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
    }
}
