package io.leapvpp.hub.leap;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Backoff computation: {@code initial * multiplier^(retry-1)}, capped at {@code maxBackoff}, then
 * scaled by a random factor in {@code [1-jitter, 1+jitter]} (and capped again). A {@code Retry-After}
 * header (seconds or HTTP date) replaces the computed delay, capped at {@code maxBackoff}.
 */
public class LeapRetryPolicy {

    private final LeapProperties.Retry retry;
    private final DoubleSupplier random;

    public LeapRetryPolicy(LeapProperties.Retry retry) {
        this(retry, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random supplies values in [0,1); tests pass a constant */
    public LeapRetryPolicy(LeapProperties.Retry retry, DoubleSupplier random) {
        this.retry = Objects.requireNonNull(retry);
        this.random = Objects.requireNonNull(random);
    }

    public int maxAttempts() {
        return retry.maxAttempts();
    }

    /** Delay before retry number {@code retryNumber} (1 = the wait after the first failed attempt). */
    public Duration backoff(int retryNumber) {
        double base = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), Math.max(0, retryNumber - 1));
        double max = retry.maxBackoff().toMillis();
        base = Math.min(base, max);
        double factor = 1.0 + retry.jitter() * (2.0 * random.getAsDouble() - 1.0);
        long millis = Math.round(Math.min(max, Math.max(0.0, base * factor)));
        return Duration.ofMillis(millis);
    }

    /**
     * Delay requested by a {@code Retry-After} header, capped at max-backoff; null when absent/unparseable.
     */
    public Duration retryAfter(String headerValue, Instant now) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        String v = headerValue.trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                d = Duration.between(now, at);
            } catch (RuntimeException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return d.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : d;
    }
}
