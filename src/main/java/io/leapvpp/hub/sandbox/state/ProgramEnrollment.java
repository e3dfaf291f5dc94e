package io.leapvpp.hub.sandbox.state;

import java.time.Instant;
import java.util.UUID;

/** One entry of a meter's {@code program_enrollment[]}; market group fields are null when Leap has not grouped the meter. */
public record ProgramEnrollment(
        String programIdentifier,
        String deliveryPeriod,
        Instant deliveryPeriodStart,
        Instant deliveryPeriodEnd,
        String enrollmentStatus,
        Instant enrollmentDeadline,
        Instant activation,
        UUID marketGroupId,
        String marketGroupName) {

    public ProgramEnrollment withMarketGroup(MarketGroup group) {
        return new ProgramEnrollment(programIdentifier, deliveryPeriod, deliveryPeriodStart, deliveryPeriodEnd,
                enrollmentStatus, enrollmentDeadline, activation,
                group == null ? null : group.id(), group == null ? null : group.name());
    }

    public ProgramEnrollment withStatus(String status) {
        return new ProgramEnrollment(programIdentifier, deliveryPeriod, deliveryPeriodStart, deliveryPeriodEnd,
                status, enrollmentDeadline, activation, marketGroupId, marketGroupName);
    }
}
