package io.leapvpp.hub.leap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Headers, URL building and secrecy of the API key. */
class LeapClientSecurityTest extends WireMockLeapTest {

    LeapClient client;
    Logger leapLogger;
    Level previousLevel;
    ListAppender<ILoggingEvent> appender;


    @BeforeEach
    void setUp() {
        wm.resetAll();
        client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()), new LeapTestSupport.RecordingSleeper());
        leapLogger = (Logger) LoggerFactory.getLogger("io.leapvpp.hub.leap");
        previousLevel = leapLogger.getLevel();
        leapLogger.setLevel(Level.DEBUG);
        appender = new ListAppender<>();
        appender.start();
        leapLogger.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        leapLogger.detachAppender(appender);
        leapLogger.setLevel(previousLevel);
    }

    @Test
    void sendsBearerTokenAndJsonHeaders() {
        wm.stubFor(post(urlPathEqualTo("/v2/dispatch/meter/search")).willReturn(okJson("{\"results\":[]}")));

        client.post(LeapService.DISPATCH, "/dispatch/meter/search", Map.of("meter_ids", List.of("m-1")));

        wm.verify(postRequestedFor(urlPathEqualTo("/v2/dispatch/meter/search"))
                .withHeader("Authorization", equalTo("Bearer " + LeapTestSupport.API_KEY))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"meter_ids\":[\"m-1\"]}")));
    }

    @Test
    void perServiceBasePathsAndEncodedPathVariables() {
        wm.stubFor(get(urlEqualTo("/v2/meters/a%20b%2Fc%3F/enrollments")).willReturn(okJson("{\"ok\":1}")));
        wm.stubFor(delete(urlEqualTo("/v1.1/webhooks/364be407")).willReturn(aResponse().withStatus(204)));
        wm.stubFor(get(urlEqualTo("/custom/dispatch/meter/webhook")).willReturn(okJson("{\"url\":\"u\"}")));

        assertThat(client.getMeterEnrollment("a b/c?").path("ok").asInt()).isEqualTo(1);
        JsonNode deleted = client.deleteWebhook("364be407");
        assertThat(deleted.isNull()).isTrue();
        wm.verify(deleteRequestedFor(urlEqualTo("/v1.1/webhooks/364be407"))
                .withHeader("Content-Type", absent()));

        LeapProperties overridden = new LeapProperties(wm.baseUrl() + "/", LeapTestSupport.API_KEY, null, null,
                null, null, Map.of("dispatch", "custom/"));
        LeapClient custom = LeapTestSupport.client(overridden, new LeapTestSupport.RecordingSleeper());
        assertThat(custom.getMeterDispatchWebhook().path("url").asText()).isEqualTo("u");
    }

    @Test
    void queryParametersAreEncodedAndRepeatedForCollections() {
        wm.stubFor(get(urlPathEqualTo("/v1.1/jobs/meters")).willReturn(okJson("{\"jobs\":[]}")));

        client.listMeterBatchJobs(Map.of("filter", List.of("status:FAILED", "file_name:My File&1")));

        wm.verify(getRequestedFor(urlEqualTo(
                "/v1.1/jobs/meters?filter=status%3AFAILED&filter=file_name%3AMy%20File%261")));
    }

    @Test
    void apiKeyNeverAppearsInPropertiesToString() {
        LeapProperties props = LeapTestSupport.props("https://api.leap.energy");

        assertThat(props.toString()).doesNotContain(LeapTestSupport.API_KEY).doesNotContain("s3cr3t")
                .contains("apiKey=****(set)").contains("https://api.leap.energy");
        assertThat(props.retry().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void apiKeyNeverAppearsInDebugLogsOrExceptions() {
        wm.stubFor(get(urlPathEqualTo("/v2/meters/m-1")).willReturn(okJson("{\"meter_id\":\"m-1\"}")));
        wm.stubFor(get(urlPathEqualTo("/v1.1/webhooks")).willReturn(aResponse().withStatus(503)
                .withBody("{\"error\":\"Service Unavailable\",\"message\":\"down\"}")));
        // an error body that echoes the header back must not leak it through the exception message either
        wm.stubFor(post(urlPathEqualTo("/v1.1/webhooks")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"Unauthorized\",\"message\":\"Auth token is invalid\"}")));

        client.getMeterDetails("m-1");
        LeapApiException down = catchThrowableOfType(LeapApiException.class, () -> client.listWebhooks());
        LeapApiException unauthorized = catchThrowableOfType(LeapApiException.class,
                () -> client.createWebhook(Map.of("receiver_url", "https://hub.example/x")));

        List<ILoggingEvent> events = appender.list;
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).contains("GET", wm.baseUrl() + "/v2/meters/m-1", "200");
        });
        assertThat(events).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("503"));
        for (ILoggingEvent e : events) {
            assertThat(e.getFormattedMessage()).doesNotContain("s3cr3t").doesNotContain("Bearer");
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t");
            }
        }
        assertThat(down.getMessage()).doesNotContain("s3cr3t");
        assertThat(unauthorized.getMessage()).doesNotContain("s3cr3t").contains("401");
        assertThat(client.properties().toString()).doesNotContain("s3cr3t");
    }
}
