package io.leapvpp.hub.sandbox.state;

import java.util.List;
import java.util.UUID;

/** A dispatched timeslot of a market group with the group's members at dispatch time. */
public record GroupDispatch(UUID marketGroupId, List<UUID> meterIds, List<String> partnerReferences, DispatchTimeslot timeslot) {
    public GroupDispatch withTimeslot(DispatchTimeslot t) {
        return new GroupDispatch(marketGroupId, meterIds, partnerReferences, t);
    }
}
