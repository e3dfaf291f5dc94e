package io.leapvpp.hub.leap;

import java.time.Duration;

/** Waits between retries; injectable so tests do not really sleep. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper THREAD = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    };
}
