package io.leapvpp.hub.operations;

import io.leapvpp.hub.HubSpringTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error-handling policy (routes/00-hub-defaults.camel.yaml): retry with backoff, then a stored dead letter. */
@ExtendWith(OutputCaptureExtension.class)
class DeadLettersTest extends HubSpringTest {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aFailingExchangeIsRetriedThenStoredWithItsLeapEventIdAndWithoutCredentials(CapturedOutput output) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String routeId = "dead-letter-probe-" + UUID.randomUUID();
        String eventId = "evt-" + UUID.randomUUID();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId).routeId(routeId).routeConfigurationId("hub-defaults")
                        .bean("leapEventLog", "tag(*, ${header.eventId})")
                        .log("processing the probe event")
                        .process(exchange -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("device gateway unreachable");
                        });
            }
        });

        producer.sendBodyAndHeaders("direct:" + routeId, "{\"probe\":true}",
                Map.of("eventId", eventId, "x-api-key", "header-secret-value", "Content-Type", "application/json"));

        assertThat(attempts.get()).as("first try plus hub.errors.maximum-redeliveries=2").isEqualTo(3);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT route_id, leap_event_id, error_type, error_message, body, headers::text AS headers FROM hub_dead_letter WHERE route_id = ?", routeId);
        assertThat(row.get("leap_event_id")).isEqualTo(eventId);
        assertThat(row.get("error_type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(row.get("error_message")).isEqualTo("device gateway unreachable");
        assertThat(row.get("body")).isEqualTo("{\"probe\":true}");
        assertThat((String) row.get("headers")).contains("Content-Type").doesNotContain("header-secret-value");
        assertThat(output.getOut()).contains("[leap_event_id=" + eventId + "]").contains("processing the probe event");
    }

    @Test
    void sensitiveHeaderNamesAreRecognised() {
        assertThat(DeadLetters.isSensitive("x-api-key")).isTrue();
        assertThat(DeadLetters.isSensitive("Authorization")).isTrue();
        assertThat(DeadLetters.isSensitive("X-Webhook-Secret")).isTrue();
        assertThat(DeadLetters.isSensitive("Content-Type")).isFalse();
        assertThat(DeadLetters.isSensitive("LeapEventId")).isFalse();
    }

    @Test
    void everyRouteLoadedFromRouteFilesHasAnExplicitId() {
        // metrics, health and AdviceWith key off route ids; Camel's generated ones (route1, ...) change between runs
        assertThat(camel.getRoutes()).isNotEmpty().allSatisfy(route ->
                assertThat(route.getRouteId()).as("route from %s", route.getSourceLocation()).doesNotMatch("route\\d+"));
    }
}
