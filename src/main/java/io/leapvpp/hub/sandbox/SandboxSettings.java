package io.leapvpp.hub.sandbox;

import java.time.Duration;

/**
 * Everything that shapes one sandbox instance. Immutable; use the {@code with...} methods to derive variants.
 *
 * @param bindAddress         interface to listen on; loopback by default because the control API has no auth
 * @param port                TCP port, 0 picks a free one
 * @param apiKey              the only bearer token accepted (anything else is 401)
 * @param wrongEnvironmentKey a token that simulates a key from the other Leap environment (403, as Leap does)
 * @param meters              number of seeded meters
 * @param seed                random seed; the same seed always yields the same meters and market groups
 * @param timeScale           multiplier for every Leap delay (retry ladders, push timeout, job delay); 1.0 = real time
 * @param batchJobDelay       unscaled time a create-meters job stays PROCESSING
 * @param pushTimeoutFloor    lower bound of the scaled 10 s push timeout, so tiny time scales do not make every push
 *                            time out on a busy machine
 * @param requestLogCapacity  how many received API requests {@code /sandbox/requests} keeps
 */
public record SandboxSettings(
        String bindAddress,
        int port,
        String apiKey,
        String wrongEnvironmentKey,
        int meters,
        long seed,
        double timeScale,
        Duration batchJobDelay,
        Duration pushTimeoutFloor,
        int requestLogCapacity) {

    public static final Duration LEAP_PUSH_TIMEOUT = Duration.ofSeconds(10);

    public SandboxSettings {
        if (bindAddress == null || bindAddress.isBlank()) bindAddress = "127.0.0.1";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException("apiKey is required");
        if (meters < 0) throw new IllegalArgumentException("meters must be >= 0");
        if (!(timeScale > 0)) throw new IllegalArgumentException("timeScale must be > 0");
        if (batchJobDelay == null) batchJobDelay = Duration.ofSeconds(5);
        if (pushTimeoutFloor == null) pushTimeoutFloor = Duration.ofMillis(250);
        if (requestLogCapacity <= 0) requestLogCapacity = 200;
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings("127.0.0.1", 8090, "sandbox-api-key", "staging-key-used-in-production",
                50, 42L, 1.0, Duration.ofSeconds(5), Duration.ofMillis(250), 200);
    }

    public SandboxSettings withPort(int p) { return new SandboxSettings(bindAddress, p, apiKey, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withApiKey(String k) { return new SandboxSettings(bindAddress, port, k, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withWrongEnvironmentKey(String k) { return new SandboxSettings(bindAddress, port, apiKey, k, meters, seed, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withMeters(int m) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, m, seed, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withSeed(long s) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, s, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withTimeScale(double t) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, seed, t, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withBatchJobDelay(Duration d) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, seed, timeScale, d, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withPushTimeoutFloor(Duration d) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay, d, requestLogCapacity); }
    public SandboxSettings withBindAddress(String a) { return new SandboxSettings(a, port, apiKey, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay, pushTimeoutFloor, requestLogCapacity); }
    public SandboxSettings withRequestLogCapacity(int c) { return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay, pushTimeoutFloor, c); }

    /** A Leap delay as it runs in this sandbox. */
    public Duration scaled(Duration leapDelay) {
        return Duration.ofNanos(Math.round(leapDelay.toNanos() * timeScale));
    }

    /** Leap's 10 s acknowledgement deadline, scaled, but never below {@link #pushTimeoutFloor}. */
    public Duration pushTimeout() {
        Duration scaled = scaled(LEAP_PUSH_TIMEOUT);
        return scaled.compareTo(pushTimeoutFloor) < 0 ? pushTimeoutFloor : scaled;
    }
}
