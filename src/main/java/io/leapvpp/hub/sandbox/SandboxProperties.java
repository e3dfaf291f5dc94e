package io.leapvpp.hub.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** {@code hub.sandbox.*}: the Leap sandbox the hub can start for demo mode and tests. Never enable in production. */
@ConfigurationProperties(prefix = "hub.sandbox")
public class SandboxProperties {

    private boolean enabled;
    private String bindAddress = "127.0.0.1";
    private int port = 8090;
    private String apiKey = "sandbox-api-key";
    private String wrongEnvironmentKey = "staging-key-used-in-production";
    private int meters = 50;
    private long seed = 42L;
    private double timeScale = 1.0;
    private Duration batchJobDelay = Duration.ofSeconds(5);

    public SandboxSettings toSettings() {
        SandboxSettings d = SandboxSettings.defaults();
        return new SandboxSettings(bindAddress, port, apiKey, wrongEnvironmentKey, meters, seed, timeScale, batchJobDelay,
                d.pushTimeoutFloor(), d.requestLogCapacity());
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getBindAddress() { return bindAddress; }
    public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public String getWrongEnvironmentKey() { return wrongEnvironmentKey; }
    public void setWrongEnvironmentKey(String wrongEnvironmentKey) { this.wrongEnvironmentKey = wrongEnvironmentKey; }
    public int getMeters() { return meters; }
    public void setMeters(int meters) { this.meters = meters; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public double getTimeScale() { return timeScale; }
    public void setTimeScale(double timeScale) { this.timeScale = timeScale; }
    public Duration getBatchJobDelay() { return batchJobDelay; }
    public void setBatchJobDelay(Duration batchJobDelay) { this.batchJobDelay = batchJobDelay; }
}
