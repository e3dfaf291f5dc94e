package io.leapvpp.hub.devices;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** {@code hub.alerts.*}: the operations alert digest (issue 3, item 10). */
@ConfigurationProperties("hub.alerts")
public class AlertsProperties {

    /** At most one digest mail per window; it lists everything since the previous mail. */
    private Duration digestWindow = Duration.ofMinutes(5);
    /** A digest waits until its oldest alert is this old, so a storm that is still arriving lands in one mail. */
    private Duration gracePeriod = Duration.ofSeconds(30);
    /** How often the digest route looks for pending alerts. */
    private Duration checkInterval = Duration.ofSeconds(15);
    /** Alerts listed in one mail (the count always covers all of them). */
    private int maxListed = 500;
    /** Folder of the mail templates (alert-digest.txt, alert-item.txt). */
    private String templatesDir = "config/templates";

    public Duration getDigestWindow() { return digestWindow; }
    public void setDigestWindow(Duration v) { digestWindow = v; }
    public Duration getGracePeriod() { return gracePeriod; }
    public void setGracePeriod(Duration v) { gracePeriod = v; }
    public Duration getCheckInterval() { return checkInterval; }
    public void setCheckInterval(Duration v) { checkInterval = v; }
    public int getMaxListed() { return maxListed; }
    public void setMaxListed(int v) { maxListed = v; }
    public String getTemplatesDir() { return templatesDir; }
    public void setTemplatesDir(String v) { templatesDir = v; }
}
