package io.leapvpp.hub.leap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding of {@code hub.leap.*} as Spring Boot does it (no application context needed). */
class LeapPropertiesTest {

    private static LeapProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("hub.leap", LeapProperties.class);
    }

    @Test
    void defaults() {
        LeapProperties p = bind(Map.of());

        assertThat(p.baseUrl()).isEqualTo("https://api.staging.leap.energy");
        assertThat(p.apiKey()).isNull();
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retry().maxAttempts()).isEqualTo(5);
        assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retry().multiplier()).isEqualTo(2.0);
        assertThat(p.retry().jitter()).isEqualTo(0.5);
        assertThat(p.paging().maxPages()).isEqualTo(10_000);
        assertThat(p.basePath(LeapService.CREATE_METERS)).isEqualTo("/v1.1");
        assertThat(p.basePath(LeapService.METER_DETAILS)).isEqualTo("/v2");
        assertThat(p.basePath(LeapService.METER_ENROLLMENT)).isEqualTo("/v2");
        assertThat(p.basePath(LeapService.ENROLLMENT_MANAGEMENT)).isEqualTo("/v1.1");
        assertThat(p.basePath(LeapService.DISPATCH)).isEqualTo("/v2");
        assertThat(p.basePath(LeapService.WEBHOOKS)).isEqualTo("/v1.1");
        assertThat(p.basePath(LeapService.REVENUE)).isEqualTo("/v1.1");
        assertThat(p.basePath(LeapService.PERFORMANCE)).isEqualTo("/v1.1");
        assertThat(p.basePath(LeapService.NOMINATIONS)).isEqualTo("/v2");
        assertThat(p.basePath(LeapService.INTERVAL_DATA)).isEqualTo("/v1.1");
    }

    @Test
    void overridesIncludingPerServiceBasePaths() {
        LeapProperties p = bind(Map.of(
                "hub.leap.base-url", "https://api.leap.energy/",
                "hub.leap.api-key", "id:secret",
                "hub.leap.read-timeout", "10s",
                "hub.leap.retry.max-attempts", "3",
                "hub.leap.retry.initial-backoff", "1s",
                "hub.leap.retry.jitter", "0.2",
                "hub.leap.paging.max-pages", "50",
                "hub.leap.base-paths.meter-details", "/v3",
                "hub.leap.base-paths.interval-data", "v1.2/"));

        assertThat(p.baseUrl()).isEqualTo("https://api.leap.energy");
        assertThat(p.apiKey()).isEqualTo("id:secret");
        assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.retry().maxAttempts()).isEqualTo(3);
        assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retry().jitter()).isEqualTo(0.2);
        assertThat(p.paging().maxPages()).isEqualTo(50);
        assertThat(p.basePath(LeapService.METER_DETAILS)).isEqualTo("/v3");
        assertThat(p.basePath(LeapService.INTERVAL_DATA)).isEqualTo("/v1.2");
        assertThat(p.basePath(LeapService.DISPATCH)).isEqualTo("/v2");
        assertThat(p.toString()).doesNotContain("secret");
    }

    @Test
    void backoffGrowsExponentiallyIsCappedAndJittered() {
        LeapProperties.Retry retry = new LeapProperties.Retry(10, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0,
                0.5);
        LeapRetryPolicy noJitter = new LeapRetryPolicy(retry, () -> 0.5);
        assertThat(noJitter.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(noJitter.backoff(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(noJitter.backoff(4)).isEqualTo(Duration.ofMillis(4000));
        assertThat(noJitter.backoff(8)).isEqualTo(Duration.ofSeconds(30));

        assertThat(new LeapRetryPolicy(retry, () -> 0.0).backoff(2)).isEqualTo(Duration.ofMillis(500));   // -50%
        assertThat(new LeapRetryPolicy(retry, () -> 0.999999).backoff(2)).isEqualTo(Duration.ofMillis(1500)); // +50%
        assertThat(new LeapRetryPolicy(retry, () -> 0.999999).backoff(20)).isEqualTo(Duration.ofSeconds(30)); // capped
    }

    @Test
    void retryAfterSecondsAndHttpDateAreParsedAndCapped() {
        LeapRetryPolicy policy = new LeapRetryPolicy(LeapProperties.Retry.defaults(), () -> 0.5);
        java.time.Instant now = java.time.Instant.parse("2025-06-01T12:00:00Z");

        assertThat(policy.retryAfter("12", now)).isEqualTo(Duration.ofSeconds(12));
        assertThat(policy.retryAfter("Sun, 01 Jun 2025 12:00:20 GMT", now)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.retryAfter("3600", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.retryAfter("Sun, 01 Jun 2025 11:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(policy.retryAfter("soon", now)).isNull();
        assertThat(policy.retryAfter(null, now)).isNull();
    }
}
