package io.leapvpp.hub.sandbox.state;

import java.time.Instant;
import java.util.UUID;

/** A VPP market group: Leap dispatches its members together (group dispatch webhook). */
public record MarketGroup(
        UUID id,
        String name,
        String transmissionRegion,
        String programIdentifier,
        String deliveryPeriod,
        Instant startDateTime,
        Instant endDateTime) {
}
