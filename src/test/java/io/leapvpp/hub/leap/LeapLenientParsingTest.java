package io.leapvpp.hub.leap;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leap adds fields and enum values without version bumps (GUIDE §0, §12): binding must not fail. */
class LeapLenientParsingTest extends WireMockLeapTest {

    enum MeterType { UTILITY_METER, SUBMETER, DEVICE }

    record MeterSummary(String meterId, String partnerReference, MeterType meterType, List<String> loadTypes,
                        OffsetDateTime lastModifiedDateTime) {
    }



    @Test
    void unknownFieldsAndUnknownEnumValuesDoNotFail() throws Exception {
        ObjectMapper strictSpringLike = new ObjectMapper(); // FAIL_ON_UNKNOWN_PROPERTIES=true by default
        LeapClient client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()),
                new LeapTestSupport.RecordingSleeper());
        String json = """
                {"meter_id":"m-1","partner_reference":"site-7","meter_type":"VIRTUAL_METER",
                 "load_types":["HVAC"],"last_modified_date_time":"2025-05-01T08:00:00Z",
                 "brand_new_field":{"nested":[1,2,3]}}""";

        MeterSummary m = client.objectMapper().readValue(json, MeterSummary.class);

        assertThat(m.meterId()).isEqualTo("m-1");
        assertThat(m.partnerReference()).isEqualTo("site-7");
        assertThat(m.meterType()).isNull(); // unknown enum value without a default → null
        assertThat(m.loadTypes()).containsExactly("HVAC");
        assertThat(m.lastModifiedDateTime()).isEqualTo(OffsetDateTime.of(2025, 5, 1, 8, 0, 0, 0, ZoneOffset.UTC));
        // the caller's mapper is left untouched (the client works on a copy)
        assertThat(strictSpringLike.getDeserializationConfig()
                .isEnabled(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
    }

    @Test
    void typedResponseWithUnknownStatusFallsBackToDefault() {
        wm.stubFor(get(urlPathEqualTo("/v1.1/jobs/meters/5961a37f")).willReturn(okJson("""
                {"job_id":"5961a37f","status":"QUEUED_FOR_REVIEW","file_name":"meters_upload.csv",
                 "assets_count":10,"assets_created_count":8,"assets_updated_count":2,"assets_failed_count":0,
                 "transmission_regions":["CAISO","SPP"],"created_at":"2024-03-21T09:43:51.186Z",
                 "updated_at":"2024-03-21T09:50:51.186Z","reviewer":{"name":"x"}}""")));
        LeapClient client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()),
                new LeapTestSupport.RecordingSleeper());

        MeterBatchJob job = client.getMeterBatchJobRecord("5961a37f");

        assertThat(job.jobId()).isEqualTo("5961a37f");
        assertThat(job.status()).isEqualTo(MeterBatchJob.Status.UNKNOWN);
        assertThat(job.status().terminal()).isFalse();
        assertThat(job.assetsCreatedCount()).isEqualTo(8);
        assertThat(job.transmissionRegions()).containsExactly("CAISO", "SPP");
        assertThat(job.createdAt().toInstant().toString()).isEqualTo("2024-03-21T09:43:51.186Z");
    }

    @Test
    void knownStatusIsMapped() {
        wm.stubFor(get(urlPathEqualTo("/v1.1/jobs/meters/j2")).willReturn(okJson(
                "{\"job_id\":\"j2\",\"status\":\"COMPLETED_WITH_ERRORS\"}")));
        LeapClient client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()),
                new LeapTestSupport.RecordingSleeper());

        MeterBatchJob job = client.getMeterBatchJobRecord("j2");

        assertThat(job.status()).isEqualTo(MeterBatchJob.Status.COMPLETED_WITH_ERRORS);
        assertThat(job.status().terminal()).isTrue();
    }

    @Test
    void nonJsonSuccessBodyIsReturnedAsText() {
        wm.stubFor(get(urlPathEqualTo("/v1.1/revenue/periodic/reports")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.ok("meter_id,revenue\nm1,12.5\n")
                        .withHeader("Content-Type", "text/csv")));
        LeapClient client = LeapTestSupport.client(LeapTestSupport.props(wm.baseUrl()),
                new LeapTestSupport.RecordingSleeper());

        assertThat(client.get(LeapService.REVENUE, "/revenue/periodic/reports").asText())
                .isEqualTo("meter_id,revenue\nm1,12.5\n");
    }
}
