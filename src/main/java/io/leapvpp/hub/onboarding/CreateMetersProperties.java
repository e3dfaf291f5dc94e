package io.leapvpp.hub.onboarding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.onboarding.create-meters.*}: Create Meters (GUIDE §3.3). The schedule and the inbox locations are read
 * by the route files (routes/45-create-meters-inbox.camel.yaml, routes/46-create-meters.camel.yaml).
 *
 * @param chunkSize           rows per create-meters job
 * @param maxRowsPerRun       rows checked and submitted per run (the rest wait for the next run)
 * @param pollInterval        time between two polls of a job Leap is still processing
 * @param unknownOutcomeGrace a job POST whose answer was lost is posted again only when Leap's job list still does not
 *                            show it this long after the POST (a job may take a moment to appear)
 */
@ConfigurationProperties("hub.onboarding.create-meters")
public record CreateMetersProperties(
        @DefaultValue("100") int chunkSize,
        @DefaultValue("5000") int maxRowsPerRun,
        @DefaultValue("30s") Duration pollInterval,
        @DefaultValue("2m") Duration unknownOutcomeGrace) {

    public CreateMetersProperties {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("hub.onboarding.create-meters.chunk-size must be at least 1, was " + chunkSize);
        }
        if (maxRowsPerRun < 1) {
            throw new IllegalArgumentException("hub.onboarding.create-meters.max-rows-per-run must be at least 1");
        }
        pollInterval = pollInterval != null ? pollInterval : Duration.ofSeconds(30);
        unknownOutcomeGrace = unknownOutcomeGrace != null ? unknownOutcomeGrace : Duration.ofMinutes(2);
    }
}
