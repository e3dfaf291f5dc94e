package io.leapvpp.hub.leap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fault injection against a WireMock stand-in for Leap. */
class LeapClientRetryTest extends WireMockLeapTest {

    private static final String METER = "11111111-1111-1111-1111-111111111111";
    private static final String METER_PATH = "/v2/meters/" + METER;

    LeapTestSupport.RecordingSleeper sleeper;
    LeapClient client;


    @BeforeEach
    void setUp() {
        wm.resetAll();
        sleeper = new LeapTestSupport.RecordingSleeper();
        client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()), sleeper);
    }

    @Test
    void serviceUnavailableThenOkSucceedsOnSecondAttempt() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("Service Unavailable"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"meter_id\":\"" + METER + "\"}")));

        JsonNode meter = client.getMeterDetails(METER);

        assertThat(meter.path("meter_id").asText()).isEqualTo(METER);
        wm.verify(2, getRequestedFor(urlPathEqualTo(METER_PATH)));
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                        .withBody("{\"title\":\"Too Many Requests\",\"status\":429,\"details\":{}}"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"meter_id\":\"" + METER + "\"}")));

        client.getMeterDetails(METER);

        wm.verify(2, getRequestedFor(urlPathEqualTo(METER_PATH)));
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterIsCappedAtMaxBackoff() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "86400"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{}")));

        client.getMeterDetails(METER);

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void persistentServerErrorGivesUpAfterExactlyMaxAttempts() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).willReturn(aResponse().withStatus(500)
                .withBody("\"An error happened whilst processing your request\"")));

        LeapApiException e = catchThrowableOfType(LeapApiException.class, () -> client.getMeterDetails(METER));

        assertThat(e).isNotInstanceOf(LeapOutcomeUnknownException.class);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(e.attempts()).isEqualTo(5);
        assertThat(e.operation()).isEqualTo("getMeterDetails");
        assertThat(e.error().message()).isEqualTo("An error happened whilst processing your request");
        wm.verify(5, getRequestedFor(urlPathEqualTo(METER_PATH)));
        // exponential backoff 500ms * 2^n, jitter factor fixed at 1.0 in this test
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(2000), Duration.ofMillis(4000));
    }

    @Test
    void maxAttemptsIsConfigurable() {
        LeapClient two = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl())
                .withRetry(new LeapProperties.Retry(2, Duration.ofMillis(1), Duration.ofMillis(5), 2.0, 0.0)), sleeper);
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> two.getMeterDetails(METER)).isInstanceOf(LeapApiException.class);

        wm.verify(2, getRequestedFor(urlPathEqualTo(METER_PATH)));
    }

    @Test
    void connectionResetIsRetriedForIdempotentCalls() {
        // A POST search: the JDK HttpClient itself never retries POSTs, so every request seen here is ours.
        // (For GETs the JDK silently re-sends once after a reset before any response byte; that is harmless.)
        String path = "/v2/meters/search";
        wm.stubFor(post(urlPathEqualTo(path)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo(path)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"meters\":[{\"meter_id\":\"" + METER + "\"}]}")));

        JsonNode page = client.searchMeterDetails(Map.of("page_size", 100));

        assertThat(page.path("meters").get(0).path("meter_id").asText()).isEqualTo(METER);
        wm.verify(2, postRequestedFor(urlPathEqualTo(path)));
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void connectionResetOnGetIsRecovered() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"meter_id\":\"" + METER + "\"}")));

        assertThat(client.getMeterDetails(METER).path("meter_id").asText()).isEqualTo(METER);
        wm.verify(2, getRequestedFor(urlPathEqualTo(METER_PATH)));
    }

    @Test
    void emptyResponseFaultIsRetriedAndReportedAsIoWhenPersistent() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        LeapApiException e = catchThrowableOfType(LeapApiException.class, () -> client.getMeterDetails(METER));

        assertThat(e.category()).isEqualTo(LeapErrorCategory.IO);
        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(sleeper.sleeps).hasSize(4);
        assertThat(wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(METER_PATH)).build()).getCount())
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void readTimeoutIsRetriedForIdempotentCalls() {
        LeapClient fast = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200)), sleeper);
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{}").withFixedDelay(1500))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"meter_id\":\"" + METER + "\"}")));

        assertThat(fast.getMeterDetails(METER).path("meter_id").asText()).isEqualTo(METER);
        wm.verify(2, getRequestedFor(urlPathEqualTo(METER_PATH)));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 415, 422})
    void clientErrorsAreNeverRetried(int status) {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"title\":\"nope\",\"status\":" + status + ",\"details\":{}}")));

        LeapApiException e = catchThrowableOfType(LeapApiException.class, () -> client.getMeterDetails(METER));

        assertThat(e.status()).isEqualTo(status);
        assertThat(e.retryable()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        wm.verify(1, getRequestedFor(urlPathEqualTo(METER_PATH)));
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void forbiddenExplainsWrongEnvironmentKey() {
        wm.stubFor(get(urlPathEqualTo(METER_PATH)).willReturn(aResponse().withStatus(403)
                .withBody("{\"title\":\"You do not have the necessary permissions for this operation\","
                        + "\"status\":403,\"details\":{}}")));

        LeapApiException e = catchThrowableOfType(LeapApiException.class, () -> client.getMeterDetails(METER));

        assertThat(e.category()).isEqualTo(LeapErrorCategory.AUTH);
        assertThat(e.getMessage()).contains("403", "staging vs production", "permission");
    }

    @Test
    void nonIdempotentPostGetting500IsNotRetriedAndOutcomeIsUnknown() {
        wm.stubFor(post(urlPathEqualTo("/v1.1/jobs/meters")).willReturn(aResponse().withStatus(500)
                .withBody("\"An error happened whilst processing your request\"")));

        LeapApiException e = catchThrowableOfType(LeapApiException.class,
                () -> client.createMeterBatchJob(Map.of("meters", java.util.List.of())));

        assertThat(e).isInstanceOf(LeapOutcomeUnknownException.class);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.operation()).isEqualTo("createMeterBatchJob");
        assertThat(e.getMessage()).contains("Outcome unknown", "check state");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1.1/jobs/meters")));
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void nonIdempotentPostGetting429ThenCreatedIsRetried() {
        wm.stubFor(post(urlPathEqualTo("/v1.1/webhooks")).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v1.1/webhooks")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"webhook_id\":\"364be407-1f08-48fa-afd2-ee1dd228b76b\"}")));

        JsonNode created = client.createWebhook(Map.of("receiver_url", "https://hub.example/leap",
                "event_types", java.util.List.of("meter.created")));

        assertThat(created.path("webhook_id").asText()).isEqualTo("364be407-1f08-48fa-afd2-ee1dd228b76b");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/v1.1/webhooks")));
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @Test
    void nonIdempotentPostWithConnectionResetIsNotRetried() {
        wm.stubFor(post(urlPathEqualTo("/v1.1/webhooks/abc/test"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client.testWebhook("abc", Map.of("webhook_event_type", "meter.created")))
                .isInstanceOf(LeapOutcomeUnknownException.class)
                .satisfies(t -> assertThat(((LeapApiException) t).category()).isEqualTo(LeapErrorCategory.IO));

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1.1/webhooks/abc/test")));
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void nonIdempotentPostWithReadTimeoutIsNotRetried() {
        LeapClient fast = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200)), sleeper);
        wm.stubFor(post(urlPathEqualTo("/v1.1/jobs/meters")).willReturn(okJson("{\"job_id\":\"j\"}")
                .withFixedDelay(1500)));

        LeapApiException e = catchThrowableOfType(LeapApiException.class,
                () -> fast.createMeterBatchJob(Map.of("meters", java.util.List.of())));

        assertThat(e).isInstanceOf(LeapOutcomeUnknownException.class);
        assertThat(e.error().code()).isEqualTo("READ_TIMEOUT");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1.1/jobs/meters")));
    }

    @Test
    void nonIdempotentPostIsRetriedWhenTheConnectionCouldNotBeEstablished() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        LeapClient unreachable = LeapTestSupport.client(LeapTestSupport.props("http://127.0.0.1:" + closedPort),
                sleeper);

        LeapApiException e = catchThrowableOfType(LeapApiException.class,
                () -> unreachable.createMeterBatchJob(Map.of("meters", java.util.List.of())));

        assertThat(e).isNotInstanceOf(LeapOutcomeUnknownException.class);
        assertThat(e.category()).isEqualTo(LeapErrorCategory.IO);
        assertThat(e.error().code()).isEqualTo("CONNECT_FAILED");
        assertThat(e.attempts()).isEqualTo(5);
        assertThat(sleeper.sleeps).hasSize(4);
    }

    @Test
    void searchPostsAreRetriedOnServerErrors() {
        wm.stubFor(post(urlPathEqualTo("/v2/dispatch/meter/search")).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"busy\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v2/dispatch/meter/search")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"results\":[],\"next_page_token\":null}")));

        JsonNode page = client.post(LeapService.DISPATCH, "/dispatch/meter/search",
                Map.of("start_date", "2025-06-01T00:00:00Z"));

        assertThat(page.has("results")).isTrue();
        wm.verify(2, postRequestedFor(urlPathEqualTo("/v2/dispatch/meter/search")));
    }

    @Test
    void putIsIdempotentAndRetried() {
        wm.stubFor(put(urlPathEqualTo("/v2/dispatch/meter/webhook")).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        wm.stubFor(put(urlPathEqualTo("/v2/dispatch/meter/webhook")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"url\":\"https://hub.example/dispatch\"}")));

        JsonNode hook = client.putMeterDispatchWebhook(Map.of("url", "https://hub.example/dispatch"));

        assertThat(hook.path("url").asText()).isEqualTo("https://hub.example/dispatch");
        wm.verify(2, putRequestedFor(urlPathEqualTo("/v2/dispatch/meter/webhook")));
    }
}
