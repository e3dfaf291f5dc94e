package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated dispatch notification (webhook body, or a page of search results from the polling
 * backstop), as Leap describes it in {@code asyncapi/events.yml} and {@code openapi/dispatch.yml}.
 *
 * @param body the notification as received (stored in {@code dispatch_notification.body})
 */
public record DispatchNotification(DispatchKind kind, boolean integrationTest, boolean communicationTest,
                                   List<Dispatch> dispatches, String body) {

    public int timeslotCount() {
        return dispatches.stream().mapToInt(d -> d.timeslots().size()).sum();
    }

    /**
     * One entry of {@code meter_dispatches} (meterId, partnerReference) or {@code group_dispatches}
     * (marketGroupId, meterIds, partnerReferences: paired with meterIds by position when present).
     */
    public record Dispatch(UUID meterId, String partnerReference, UUID marketGroupId, List<UUID> meterIds,
                           List<String> partnerReferences, List<Timeslot> timeslots) {
    }

    /**
     * One timeslot; {@code eventId} is its meter_event_id or market_group_event_id.
     *
     * @param energyKw null = dispatch the maximum
     * @param raw      the timeslot as received (kept in the version history)
     */
    public record Timeslot(UUID eventId, Instant start, Instant end, boolean cancelled, BigDecimal energyKw,
                           BigDecimal nominationKw, int priority, boolean voluntary, String performanceCompensationCap,
                           List<String> dispatchEventTypes, List<String> programs, boolean communicationTest,
                           ObjectNode raw) {
    }
}
