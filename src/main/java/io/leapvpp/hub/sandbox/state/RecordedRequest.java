package io.leapvpp.hub.sandbox.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An API request the sandbox received and what it answered; the Authorization value is masked. Bodies longer than the
 * recording limit are cut and flagged, so contract validation can skip them instead of failing on a fragment.
 */
public record RecordedRequest(
        long sequence,
        Instant receivedAt,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        String body,
        boolean bodyTruncated,
        int responseStatus,
        String responseContentType,
        String responseBody,
        boolean responseBodyTruncated,
        long durationMs) {
}
