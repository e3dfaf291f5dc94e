package io.leapvpp.hub.sandbox.state;

import java.util.UUID;

/** A dispatched timeslot of one meter, as it appears in meter dispatch notifications and search. */
public record MeterDispatch(UUID meterId, String partnerReference, DispatchTimeslot timeslot) {
    public MeterDispatch withTimeslot(DispatchTimeslot t) {
        return new MeterDispatch(meterId, partnerReference, t);
    }
}
