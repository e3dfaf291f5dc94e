package io.leapvpp.hub.sandbox.state;

import java.time.Instant;

/** An entry of {@code required_actions.partner[]} or {@code .leap[]}. */
public record RequiredAction(
        String programIdentifier,
        String deliveryPeriod,
        Instant enrollmentDeadline,
        String actionType,
        String actionDescription,
        String actionCode) {
}
