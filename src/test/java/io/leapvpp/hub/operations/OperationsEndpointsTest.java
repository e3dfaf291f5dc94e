package io.leapvpp.hub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leapvpp.hub.HubSpringTest;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness and readiness (Camel included), Prometheus metrics with per-route Camel meters, and the hub's answer where nothing else answers. */
class OperationsEndpointsTest extends HubSpringTest {

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessAndReadinessAreUpAndReadinessIncludesCamelAndTheDatabase() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        JsonNode live = json.readTree(liveness.body());
        assertThat(live.path("status").asText()).isEqualTo("UP");
        assertThat(live.path("components").has("camelLivenessState")).isTrue();

        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode ready = json.readTree(readiness.body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("components").has("db")).isTrue();
        assertThat(ready.path("components").has("camelReadinessState")).isTrue();
        assertThat(ready.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesCamelMetersPerRouteId() throws Exception {
        producer.sendBody("direct:dead-letter", "metrics probe");

        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"hub-dead-letter\"");
    }

    @Test
    void aPathOrMethodNothingAnswersGetsTheHubsErrorShape() throws Exception {
        for (String path : new String[]{"/api/no-such-thing", "/leap/webhooks/nothing-here", "/not-under-any-prefix"}) {
            HttpResponse<String> reply = get(path);
            assertThat(reply.statusCode()).as(path).isEqualTo(404);
            assertThat(reply.headers().firstValue("content-type")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode body = json.readTree(reply.body());
            assertThat(body.path("error").asText()).as(path).isEqualTo("not_found");
            assertThat(body.path("detail").asText()).as(path).isEqualTo("no resource at " + path);
            assertThat(body.has("timestamp")).as(path).isFalse();
        }
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leap/webhooks/dispatch/meter"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json.readTree(wrongMethod.body()).path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(json.readTree(wrongMethod.body()).path("detail").asText()).isEqualTo("/leap/webhooks/dispatch/meter does not accept DELETE");
    }
}
