package io.leapvpp.hub.sandbox.state;

import java.time.Instant;

public record ParticipationPreference(String preference, Instant startTime, Instant endTime, String reason) {
}
