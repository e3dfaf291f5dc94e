package io.leapvpp.hub.sandbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox standalone, e.g. for benchmarks:
 * {@code java -cp ... io.leapvpp.hub.sandbox.LeapSandboxMain} with system properties {@code sandbox.port},
 * {@code sandbox.bind-address}, {@code sandbox.meters}, {@code sandbox.seed}, {@code sandbox.api-key},
 * {@code sandbox.wrong-environment-key}, {@code sandbox.time-scale}, {@code sandbox.batch-job-delay} (ISO duration)
 * or the environment variables SANDBOX_PORT, SANDBOX_BIND_ADDRESS, ... (system properties win).
 */
public final class LeapSandboxMain {

    private LeapSandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxSettings d = SandboxSettings.defaults();
        SandboxSettings settings = new SandboxSettings(
                setting("bind-address", d.bindAddress()),
                Integer.parseInt(setting("port", String.valueOf(d.port()))),
                setting("api-key", d.apiKey()),
                setting("wrong-environment-key", d.wrongEnvironmentKey()),
                Integer.parseInt(setting("meters", String.valueOf(d.meters()))),
                Long.parseLong(setting("seed", String.valueOf(d.seed()))),
                Double.parseDouble(setting("time-scale", String.valueOf(d.timeScale()))),
                Duration.parse(setting("batch-job-delay", d.batchJobDelay().toString())),
                d.pushTimeoutFloor(),
                Integer.parseInt(setting("request-log-capacity", String.valueOf(d.requestLogCapacity()))));
        LeapSandbox sandbox = new LeapSandbox(settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.stop();
            stopped.countDown();
        }, "leap-sandbox-shutdown"));
        System.out.printf("Leap sandbox listening on %s (%d meters, seed %d, time scale %s)%n",
                sandbox.baseUrl(), settings.meters(), settings.seed(), settings.timeScale());
        stopped.await();
    }

    private static String setting(String name, String defaultValue) {
        String property = System.getProperty("sandbox." + name);
        if (property != null && !property.isBlank()) return property;
        String env = System.getenv("SANDBOX_" + name.toUpperCase().replace('-', '_'));
        return env != null && !env.isBlank() ? env : defaultValue;
    }
}
