package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A dispatch timeslot. {@code eventId} is the meter_event_id or market_group_event_id: Leap's upsert key, so an
 * update is the same id with new values.
 */
public record DispatchTimeslot(
        UUID eventId,
        Instant startTime,
        Instant endTime,
        boolean cancelled,
        Double energyKw,
        Double nominationKw,
        int priority,
        boolean voluntary,
        String performanceCompensationCap,
        List<String> dispatchEventTypes,
        List<String> programs,
        boolean communicationTest) {

    public DispatchTimeslot cancel() {
        return new DispatchTimeslot(eventId, startTime, endTime, true, energyKw, nominationKw, priority, voluntary,
                performanceCompensationCap, dispatchEventTypes, programs, communicationTest);
    }

    public boolean overlaps(Instant from, Instant toExclusive) {
        return startTime.isBefore(toExclusive) && endTime.isAfter(from);
    }

    public boolean isRealTime() {
        return dispatchEventTypes.contains("5m");
    }

    /**
     * @param eventIdField     "meter_event_id" or "market_group_event_id"
     * @param explicitNullKw   webhook pushes carry {@code "energy_kw": null} (= dispatch the maximum) as Leap documents;
     *                         search results omit it because the OpenAPI schema does not declare it nullable
     * @param withCommunicationTest search results carry the per-timeslot communication_test flag
     */
    public ObjectNode toJson(String eventIdField, boolean explicitNullKw, boolean withCommunicationTest) {
        ObjectNode o = Json.object();
        o.put(eventIdField, eventId.toString());
        o.put("start_time", startTime.toString());
        o.put("end_time", endTime.toString());
        o.put("cancelled", cancelled);
        if (energyKw != null) o.put("energy_kw", energyKw);
        else if (explicitNullKw) o.putNull("energy_kw");
        if (nominationKw != null) o.put("nomination_kw", nominationKw);
        o.put("priority", priority);
        o.put("is_voluntary", voluntary);
        o.put("performance_compensation_cap", performanceCompensationCap);
        o.set("dispatch_event_types", Json.strings(dispatchEventTypes));
        o.set("programs", Json.strings(programs));
        if (withCommunicationTest) o.put("communication_test", communicationTest);
        return o;
    }
}
