package io.leapvpp.hub.sandbox.push;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One HTTP push and what the receiver did with it.
 *
 * @param deliveryId      groups the attempts of one notification/event
 * @param kind            meter-dispatch, group-dispatch, meter-integration-test, group-integration-test,
 *                        platform-event, platform-event-test
 * @param responseHeaders receiver's response headers (names lower-cased)
 * @param error           why the attempt failed (timeout, connection refused, non-2xx, too slow); null on success
 */
public record DeliveryAttempt(
        String deliveryId,
        String kind,
        String url,
        Map<String, String> headers,
        String body,
        int attempt,
        int maxAttempts,
        Instant sentAt,
        Instant receivedAt,
        Integer responseStatus,
        Map<String, List<String>> responseHeaders,
        String responseBody,
        long latencyMs,
        boolean success,
        String error) {
}
