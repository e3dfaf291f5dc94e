package io.leapvpp.hub.leap;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeapClientPagingTest extends WireMockLeapTest {

    private static final String METER_SEARCH = "/v2/meters/search";
    private static final String REVENUE_SEARCH = "/v1.1/revenue/periodic/aggregation/meter/search";
    private static final String JOBS = "/v1.1/jobs/meters";

    LeapTestSupport.RecordingSleeper sleeper;
    LeapClient client;


    @BeforeEach
    void setUp() {
        wm.resetAll();
        sleeper = new LeapTestSupport.RecordingSleeper();
        client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()), sleeper);
    }

    private static String meters(String cursorField, String nextCursor, String... ids) {
        String items = java.util.Arrays.stream(ids).map(id -> "{\"meter_id\":\"" + id + "\",\"new_field\":{\"x\":1}}")
                .collect(Collectors.joining(","));
        String cursor = nextCursor == null ? "" : ",\"" + cursorField + "\":\"" + nextCursor + "\"";
        return "{\"meters\":[" + items + "]" + cursor + "}";
    }

    private static MappingBuilder firstPage(String path) {
        return post(urlPathEqualTo(path)).withRequestBody(notContaining("page_token"));
    }

    private static MappingBuilder page(String path, String token) {
        return post(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.page_token", equalTo(token)));
    }

    private static List<String> ids(List<JsonNode> nodes) {
        return nodes.stream().map(n -> n.path("meter_id").asText()).collect(Collectors.toList());
    }

    @Test
    void followsNextPageTokenAcrossPagesKeepingTheFilter() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "c1", "m1", "m2"))));
        wm.stubFor(page(METER_SEARCH, "c1").willReturn(okJson(meters("next_page_token", "c2", "m3", "m4"))));
        wm.stubFor(page(METER_SEARCH, "c2").willReturn(okJson(
                "{\"meters\":[{\"meter_id\":\"m5\"}],\"next_page_token\":null}")));

        List<List<String>> pages = new ArrayList<>();
        int count = client.forEachPage(LeapService.METER_DETAILS, "/meters/search",
                Map.of("page_size", 2, "transmission_regions", List.of("CAISO")), "meters",
                p -> pages.add(ids(p)));

        assertThat(count).isEqualTo(3);
        assertThat(pages).containsExactly(List.of("m1", "m2"), List.of("m3", "m4"), List.of("m5"));
        wm.verify(3, postRequestedFor(urlPathEqualTo(METER_SEARCH))
                .withRequestBody(matchingJsonPath("$.page_size", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.transmission_regions[0]", equalTo("CAISO"))));
        wm.verify(1, postRequestedFor(urlPathEqualTo(METER_SEARCH))
                .withRequestBody(matchingJsonPath("$.page_token", equalTo("c2"))));
    }

    @Test
    void followsPageTokenQuirkOfRevenueAggregation() {
        wm.stubFor(firstPage(REVENUE_SEARCH).willReturn(okJson(
                "{\"results\":[{\"meter_id\":\"r1\"}],\"page_token\":\"p2\"}")));
        wm.stubFor(page(REVENUE_SEARCH, "p2").willReturn(okJson(
                "{\"results\":[{\"meter_id\":\"r2\"},{\"meter_id\":\"r3\"}],\"page_token\":\"p3\"}")));
        wm.stubFor(page(REVENUE_SEARCH, "p3").willReturn(okJson(
                "{\"results\":[{\"meter_id\":\"r4\"}],\"page_token\":\"\"}")));

        List<JsonNode> all = client.streamItems(LeapService.REVENUE, "/revenue/periodic/aggregation/meter/search",
                Map.of("period_start", "2025-05", "period_end", "2025-05", "page_size", 100), "results").toList();

        assertThat(ids(all)).containsExactly("r1", "r2", "r3", "r4");
        wm.verify(3, postRequestedFor(urlPathEqualTo(REVENUE_SEARCH)));
    }

    @Test
    void nextPageTokenWinsOverAnEchoedPageToken() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(
                "{\"meters\":[{\"meter_id\":\"m1\"}],\"page_token\":null,\"next_page_token\":\"n2\"}")));
        wm.stubFor(page(METER_SEARCH, "n2").willReturn(okJson(
                "{\"meters\":[{\"meter_id\":\"m2\"}],\"page_token\":\"n2\",\"next_page_token\":null}")));

        assertThat(ids(client.streamMeterDetails(Map.of()).toList())).containsExactly("m1", "m2");
    }

    @Test
    void getListsSendTheCursorAsQueryParameter() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("page_token", absent())
                .willReturn(okJson("{\"jobs\":[{\"job_id\":\"j1\"}],\"next_page_token\":\"abc 123/=\"}")));
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("page_token", equalTo("abc 123/="))
                .willReturn(okJson("{\"jobs\":[{\"job_id\":\"j2\"}]}")));

        List<String> jobs = new ArrayList<>();
        client.forEachPageGet(LeapService.CREATE_METERS, "/jobs/meters",
                Map.of("filter", List.of("status:FAILED", "file_name:Test"), "page_size", 1), "jobs",
                p -> p.forEach(j -> jobs.add(j.path("job_id").asText())));

        assertThat(jobs).containsExactly("j1", "j2");
        wm.verify(2, getRequestedFor(urlPathEqualTo(JOBS))
                .withQueryParam("filter", equalTo("status:FAILED"))
                .withQueryParam("filter", equalTo("file_name:Test"))
                .withQueryParam("page_size", equalTo("1")));
    }

    @Test
    void repeatingCursorIsDetected() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "same", "m1"))));
        wm.stubFor(page(METER_SEARCH, "same").willReturn(okJson(meters("next_page_token", "same", "m2"))));

        List<String> delivered = new ArrayList<>();
        LeapPagingException e = catchThrowableOfType(LeapPagingException.class,
                () -> client.forEachPage(LeapService.METER_DETAILS, "/meters/search", Map.of(), "meters",
                        p -> delivered.addAll(ids(p))));

        assertThat(e).hasMessageContaining("'same'").hasMessageContaining("again");
        assertThat(e.pagesFetched()).isEqualTo(2);
        assertThat(delivered).containsExactly("m1");
        wm.verify(2, postRequestedFor(urlPathEqualTo(METER_SEARCH)));
    }

    @Test
    void cursorCycleOverSeveralPagesIsDetected() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "a", "m1"))));
        wm.stubFor(page(METER_SEARCH, "a").willReturn(okJson(meters("next_page_token", "b", "m2"))));
        wm.stubFor(page(METER_SEARCH, "b").willReturn(okJson(meters("next_page_token", "a", "m3"))));

        Iterator<JsonNode> it = client.iterateItems(LeapService.METER_DETAILS, "/meters/search", null, "meters");
        List<String> seen = new ArrayList<>();
        LeapPagingException e = catchThrowableOfType(LeapPagingException.class, () -> {
            while (it.hasNext()) {
                seen.add(it.next().path("meter_id").asText());
            }
        });

        assertThat(e).isNotNull();
        assertThat(seen).containsExactly("m1", "m2");
        wm.verify(3, postRequestedFor(urlPathEqualTo(METER_SEARCH)));
    }

    @Test
    void maxPagesStopsAnEndlessWalk() {
        LeapClient limited = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl())
                .withPaging(new LeapProperties.Paging(3)), sleeper);
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "t1", "m1"))));
        IntStream.rangeClosed(1, 10).forEach(i -> wm.stubFor(page(METER_SEARCH, "t" + i)
                .willReturn(okJson(meters("next_page_token", "t" + (i + 1), "m" + (i + 1))))));

        List<String> delivered = new ArrayList<>();
        LeapPagingException e = catchThrowableOfType(LeapPagingException.class,
                () -> limited.forEachMeterDetailsPage(Map.of(), p -> delivered.addAll(ids(p))));

        assertThat(e).hasMessageContaining("max-pages=3");
        assertThat(delivered).containsExactly("m1", "m2", "m3");
        wm.verify(3, postRequestedFor(urlPathEqualTo(METER_SEARCH)));
    }

    @Test
    void pageFailingOnceMidWalkResumesFromTheSameCursorWithoutDuplicates() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "c1", "m1", "m2"))));
        wm.stubFor(page(METER_SEARCH, "c1").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<html><title>503</title></html>"))
                .willSetStateTo("recovered"));
        wm.stubFor(page(METER_SEARCH, "c1").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(meters("next_page_token", "c2", "m3", "m4"))));
        wm.stubFor(page(METER_SEARCH, "c2").willReturn(okJson(meters("next_page_token", null, "m5"))));

        List<String> all = ids(client.streamMeterDetails(Map.of("page_size", 2)).toList());

        assertThat(all).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(all).doesNotHaveDuplicates();
        wm.verify(1, postRequestedFor(urlPathEqualTo(METER_SEARCH)).withRequestBody(notContaining("page_token")));
        wm.verify(2, postRequestedFor(urlPathEqualTo(METER_SEARCH))
                .withRequestBody(matchingJsonPath("$.page_token", equalTo("c1"))));
        wm.verify(1, postRequestedFor(urlPathEqualTo(METER_SEARCH))
                .withRequestBody(matchingJsonPath("$.page_token", equalTo("c2"))));
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @Test
    void streamIsLazy() {
        wm.stubFor(firstPage(METER_SEARCH).willReturn(okJson(meters("next_page_token", "c1", "m1", "m2"))));
        wm.stubFor(page(METER_SEARCH, "c1").willReturn(okJson(meters("next_page_token", null, "m3"))));

        List<JsonNode> first = client.streamMeterDetails(Map.of()).limit(2).toList();

        assertThat(ids(first)).containsExactly("m1", "m2");
        wm.verify(1, postRequestedFor(urlPathEqualTo(METER_SEARCH)));
    }

    @Test
    void emptyPagesWithCursorAreFollowedAndItemsFieldCanBeAutoDetected() {
        wm.stubFor(firstPage("/v2/dispatch/meter/search").willReturn(okJson(
                "{\"next_page_token\":\"d1\",\"results\":[]}")));
        wm.stubFor(page("/v2/dispatch/meter/search", "d1").willReturn(okJson(
                "{\"results\":[{\"meter_id\":\"x\"}]}")));

        List<JsonNode> items = client.streamItems(LeapService.DISPATCH, "/dispatch/meter/search",
                "{\"start_date\":\"2025-06-01T00:00:00Z\"}", null).toList();

        assertThat(ids(items)).containsExactly("x");
    }

    @Test
    void startsFromACursorGivenInTheRequestBody() {
        wm.stubFor(page(METER_SEARCH, "resume-here").willReturn(okJson(meters("next_page_token", null, "m9"))));

        List<String> all = ids(client.streamMeterDetails(Map.of("page_token", "resume-here")).toList());

        assertThat(all).containsExactly("m9");
        wm.verify(1, postRequestedFor(urlPathEqualTo(METER_SEARCH)));
    }
}
