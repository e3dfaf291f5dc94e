package io.leapvpp.hub.leap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test per error envelope of GUIDE §1.5; bodies taken from Leap's Postman examples / OpenAPI specs. */
class LeapErrorDecoderTest {

    private final LeapErrorDecoder decoder = new LeapErrorDecoder();

    private LeapApiException decode(int status, String body, LeapService service) {
        return decoder.toException(status, body, service, "op", "GET", "/v2/x", 1);
    }

    @Test
    void titleStatusDetailsWithObjectDetails_meterDetails400() {
        String body = """
                {
                  "title": "Meter id is not a UUID",
                  "status": 400,
                  "details": {
                    "meter_id": "abcdef"
                  }
                }""";
        LeapApiException e = decode(400, body, LeapService.METER_DETAILS);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.TITLE_STATUS_DETAILS);
        assertThat(err.code()).isEqualTo("BAD_REQUEST");
        assertThat(err.title()).isEqualTo("Meter id is not a UUID");
        assertThat(err.message()).isEqualTo("Meter id is not a UUID");
        assertThat(err.details()).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("meter_id");
            assertThat(d.message()).isEqualTo("abcdef");
        });
        assertThat(e.category()).isEqualTo(LeapErrorCategory.VALIDATION);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400", "Meter id is not a UUID", "meter_id: abcdef");
    }

    @Test
    void titleStatusDetailsWithErrorObject_specExample() {
        LeapError err = decoder.decode(400,
                "{\"title\":\"Bad Request\",\"status\":400,\"details\":{\"error\":\"Meter id is not a UUID\"}}");
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.TITLE_STATUS_DETAILS);
        assertThat(err.detailMessages()).containsExactly("Meter id is not a UUID");
        assertThat(err.fields()).isEmpty();
    }

    @Test
    void titleStatusDetailsWithArrayDetails_createMeters400() {
        String body = """
                {
                  "title": "Meter id is not a UUID",
                  "status": 400,
                  "details": [
                    {"message": "Missing required parameter", "json_index": 1, "problem_field": "partner_reference"},
                    {"message": "Invalid format", "json_index": 3, "problem_field": "transmission_region"},
                    {"message": "Bad value", "csv_row": 7, "problem_field": "site_address"}
                  ]
                }""";
        LeapApiException e = decode(400, body, LeapService.CREATE_METERS);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.TITLE_STATUS_DETAILS);
        assertThat(err.details()).hasSize(3);
        assertThat(err.details().get(0).jsonIndex()).isEqualTo(1);
        assertThat(err.details().get(0).field()).isEqualTo("partner_reference");
        assertThat(err.details().get(1).jsonIndex()).isEqualTo(3);
        assertThat(err.details().get(2).csvRow()).isEqualTo(7);
        assertThat(err.details().get(2).jsonIndex()).isNull();
        assertThat(err.fields()).containsExactly("partner_reference", "transmission_region", "site_address");
        assertThat(err.detailMessages()).contains("[json_index 3] transmission_region: Invalid format",
                "[csv_row 7] site_address: Bad value");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.VALIDATION);
    }

    @Test
    void createSingleMeterErrors() {
        String body = """
                {
                  "errors": [
                    {
                      "field": "transmission_region",
                      "description": "Unknown transmission region",
                      "suggestions": [
                        {"suggestions": [{"field": "transmission_region", "suggestion": "CAISO"},
                                         {"field": "transmission_region", "suggestion": "ERCOT"}]}
                      ]
                    },
                    {"field": "partner_reference", "description": "Duplicate partner reference", "suggestions": []}
                  ]
                }""";
        LeapApiException e = decode(400, body, LeapService.CREATE_METERS);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.CREATE_METER_ERRORS);
        assertThat(err.code()).isEqualTo("BAD_REQUEST");
        assertThat(err.details()).hasSize(2);
        assertThat(err.details().get(0).field()).isEqualTo("transmission_region");
        assertThat(err.details().get(0).message()).isEqualTo("Unknown transmission region");
        assertThat(err.details().get(0).suggestions())
                .containsExactly("transmission_region=CAISO", "transmission_region=ERCOT");
        assertThat(err.message()).startsWith("transmission_region: Unknown transmission region").endsWith("(+1 more)");
        assertThat(err.fields()).containsExactly("transmission_region", "partner_reference");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void createSingleMeterErrors_postmanPlaceholderExample() {
        String body = """
                {"errors":[{"field":"field","description":"description","suggestions":[{"suggestions":[
                {"field":"field","suggestion":""},{"field":"field","suggestion":""}]}]}]}""";
        LeapError err = decoder.decode(400, body);
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.CREATE_METER_ERRORS);
        assertThat(err.details()).singleElement()
                .satisfies(d -> assertThat(d.suggestions()).containsExactly("field=", "field="));
    }

    @Test
    void revenueDetailsArrayOfMessageDescription() {
        String body = """
                {
                  "details": [
                    {"message": "Invalid value in the 'Accept' header.",
                     "description": "Supported types are application/json and text/csv"}
                  ],
                  "status": 415,
                  "title": "Unsupported Media Type"
                }""";
        LeapApiException e = decode(415, body, LeapService.REVENUE);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.TITLE_STATUS_DETAILS);
        assertThat(err.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(err.title()).isEqualTo("Unsupported Media Type");
        assertThat(err.details()).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("Invalid value in the 'Accept' header.");
            assertThat(d.description()).isEqualTo("Supported types are application/json and text/csv");
        });
        assertThat(e.category()).isEqualTo(LeapErrorCategory.VALIDATION);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void revenue500IsServerAndRetryable() {
        String body = """
                {"details":[{"message":"Internal Error","description":"A technical error has occurred"}],
                 "status":500,"title":"Server Error"}""";
        LeapApiException e = decode(500, body, LeapService.REVENUE);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.TITLE_STATUS_DETAILS);
        assertThat(e.error().detailMessages()).containsExactly("Internal Error - A technical error has occurred");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void dispatchCodeMessageErrorCode() {
        String body = """
                {"code": "BAD_REQUEST", "message": "start_date must be before end_date",
                 "error_code": "DISPATCH_INVALID_INPUT"}""";
        LeapApiException e = decode(400, body, LeapService.DISPATCH);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.DISPATCH);
        assertThat(err.code()).isEqualTo("DISPATCH_INVALID_INPUT");
        assertThat(err.title()).isEqualTo("BAD_REQUEST");
        assertThat(err.message()).isEqualTo("start_date must be before end_date");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.VALIDATION);
        assertThat(e.getMessage()).contains("DISPATCH_INVALID_INPUT", "start_date must be before end_date");
    }

    @Test
    void dispatchWithoutErrorCodeUsesCoarseCode() {
        LeapApiException e = decode(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"try later\"}",
                LeapService.DISPATCH);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.DISPATCH);
        assertThat(e.error().code()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void dispatch403IsAuthAndExplainsWrongEnvironment() {
        String body = """
                {"code":"FORBIDDEN","message":"No access","error_code":"DISPATCH_NO_ACCESS_TO_RESOURCE"}""";
        LeapApiException e = decode(403, body, LeapService.DISPATCH);
        assertThat(e.category()).isEqualTo(LeapErrorCategory.AUTH);
        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo("DISPATCH_NO_ACCESS_TO_RESOURCE");
        assertThat(e.getMessage()).contains("other environment", "staging vs production", "permission");
    }

    @Test
    void webhookErrorMessage() {
        String body = """
                {
                  "error": "Not Found",
                  "message": "The specified resource was not found"
                }""";
        LeapApiException e = decode(404, body, LeapService.WEBHOOKS);
        LeapError err = e.error();
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.WEBHOOK);
        assertThat(err.code()).isEqualTo("NOT_FOUND");
        assertThat(err.title()).isEqualTo("Not Found");
        assertThat(err.message()).isEqualTo("The specified resource was not found");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.NOT_FOUND);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void webhook401IsAuth() {
        LeapApiException e = decode(401, "{\"error\":\"Unauthorized\",\"message\":\"Auth token is invalid\"}",
                LeapService.WEBHOOKS);
        assertThat(e.error().code()).isEqualTo("UNAUTHORIZED");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.AUTH);
        assertThat(e.getMessage()).contains("Auth token is invalid", "hub.leap.api-key");
    }

    @Test
    void bareValidationError_listProvisionalAssets() {
        LeapError err = decoder.decode(400, """
                {"message": "Missing required parameter", "json_index": 1, "problem_field": "partner_reference"}""");
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.MESSAGE);
        assertThat(err.message()).isEqualTo("Missing required parameter");
        assertThat(err.details()).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("partner_reference");
            assertThat(d.jsonIndex()).isEqualTo(1);
        });
    }

    @Test
    void untypedEmptyObject_intervalData() {
        LeapApiException e = decode(500, "{}", LeapService.INTERVAL_DATA);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.UNTYPED_JSON);
        assertThat(e.error().code()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(e.error().message()).isEqualTo("HTTP 500 Internal Server Error");
        assertThat(e.error().details()).isEmpty();
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void untypedObjectWithFields_intervalData() {
        LeapError err = decoder.decode(400, "{\"reason\":\"file too large\",\"limit_mb\":50,\"extra\":{\"a\":1}}");
        assertThat(err.envelope()).isEqualTo(LeapError.Envelope.UNTYPED_JSON);
        assertThat(err.message()).contains("file too large");
        assertThat(err.detailMessages()).containsExactly("reason: file too large", "limit_mb: 50", "extra: {\"a\":1}");
    }

    @Test
    void jsonStringBody_500() {
        LeapApiException e = decode(500, "\"An error happened whilst processing your request\"",
                LeapService.CREATE_METERS);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.TEXT);
        assertThat(e.error().message()).isEqualTo("An error happened whilst processing your request");
        assertThat(e.error().code()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void plainTextBody() {
        LeapApiException e = decode(500, "An error happened whilst processing your request",
                LeapService.NOMINATIONS);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.TEXT);
        assertThat(e.error().message()).isEqualTo("An error happened whilst processing your request");
        assertThat(e.error().rawBody()).isEqualTo("An error happened whilst processing your request");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void emptyBody() {
        LeapApiException e = decode(502, "", LeapService.DISPATCH);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.EMPTY);
        assertThat(e.error().code()).isEqualTo("BAD_GATEWAY");
        assertThat(e.error().message()).contains("502", "empty body");
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
        assertThat(decoder.decode(404, null).envelope()).isEqualTo(LeapError.Envelope.EMPTY);
    }

    @Test
    void htmlBodyFromAGateway() {
        String html = """
                <html>
                <head><title>502 Bad Gateway</title><style>body{color:red}</style></head>
                <body><center><h1>502 Bad Gateway</h1></center><hr><center>awselb/2.0</center></body>
                </html>""";
        LeapApiException e = decode(502, html, LeapService.METER_DETAILS);
        assertThat(e.error().envelope()).isEqualTo(LeapError.Envelope.TEXT);
        assertThat(e.error().message()).isEqualTo("502 Bad Gateway");
        assertThat(e.error().rawBody()).isEqualTo(html);
        assertThat(e.category()).isEqualTo(LeapErrorCategory.SERVER);
    }

    @Test
    void htmlWithoutTitleIsStripped() {
        LeapError err = decoder.decode(403, "<html><body><h1>Forbidden</h1><p>Request blocked.</p></body></html>");
        assertThat(err.message()).isEqualTo("Forbidden Request blocked.");
    }

    @Test
    void garbageAndBrokenJsonFallBackToText() {
        LeapError broken = decoder.decode(500, "{\"title\": \"Server Err");
        assertThat(broken.envelope()).isEqualTo(LeapError.Envelope.TEXT);
        assertThat(broken.message()).isEqualTo("{\"title\": \"Server Err");

        LeapError garbage = decoder.decode(500, "\u0000\u0001\u0002\uFFFD binary");
        assertThat(garbage.envelope()).isEqualTo(LeapError.Envelope.TEXT);
        assertThat(garbage.message()).doesNotContain("\u0000").contains("binary");

        LeapError number = decoder.decode(500, "42");
        assertThat(number.message()).isEqualTo("42");
    }

    @Test
    void rawBodyIsCapped() {
        String huge = "x".repeat(LeapErrorDecoder.MAX_RAW_BODY_CHARS * 3);
        LeapError err = decoder.decode(500, huge);
        assertThat(err.rawBody().length()).isLessThan(LeapErrorDecoder.MAX_RAW_BODY_CHARS + 100);
        assertThat(err.message().length()).isLessThan(LeapErrorDecoder.MAX_MESSAGE_CHARS + 100);
    }

    @ParameterizedTest
    @CsvSource({"400,VALIDATION,false", "401,AUTH,false", "403,AUTH,false", "404,NOT_FOUND,false",
            "409,VALIDATION,false", "415,VALIDATION,false", "422,VALIDATION,false", "429,RATE_LIMITED,true",
            "500,SERVER,true", "502,SERVER,true", "503,SERVER,true", "504,SERVER,true", "405,CLIENT,false",
            "0,IO,true"})
    void categoryByStatus(int status, LeapErrorCategory expected, boolean retryable) {
        assertThat(LeapErrorCategory.forStatus(status)).isEqualTo(expected);
        assertThat(expected.retryable()).isEqualTo(retryable);
    }
}
