package io.leapvpp.hub.sandbox.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Leap's delay before each delivery attempt (first entry = before the first attempt). */
public record RetryPolicy(String name, List<Duration> delaysBeforeAttempt) {

    /** Dispatch notifications: first push immediately, then a retry every minute, at most 50 retries. */
    public static RetryPolicy dispatch() {
        List<Duration> d = new ArrayList<>();
        d.add(Duration.ZERO);
        d.addAll(Collections.nCopies(50, Duration.ofMinutes(1)));
        return new RetryPolicy("dispatch", List.copyOf(d));
    }

    /** Platform events: immediately, +1m, +2m, +4m, +8m, +16m, +29m, +1h, +2h, +4h (10 attempts, ~8 h). */
    public static RetryPolicy platformEvents() {
        return new RetryPolicy("platform-events", List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofMinutes(4), Duration.ofMinutes(8), Duration.ofMinutes(16), Duration.ofMinutes(29),
                Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4)));
    }

    /** Test endpoints answer with the outcome of one synchronous attempt. */
    public static RetryPolicy singleAttempt() {
        return new RetryPolicy("single", List.of(Duration.ZERO));
    }

    public int maxAttempts() {
        return delaysBeforeAttempt.size();
    }
}
