package io.leapvpp.hub.leap;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Connection settings for Leap's REST API ({@code hub.leap.*}).
 *
 * <p>{@link #toString()} never prints the API key.
 *
 * @param baseUrl        scheme + host, without version ({@code https://api.staging.leap.energy})
 * @param apiKey         bearer token (secret)
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout    per-request timeout (time until the response headers arrive)
 * @param retry          retry/backoff policy
 * @param paging         cursor-paging guard rails
 * @param basePaths      per-service base path overrides keyed by {@link LeapService#propertyKey()}
 */
@ConfigurationProperties("hub.leap")
public record LeapProperties(
        @DefaultValue("https://api.staging.leap.energy") String baseUrl,
        String apiKey,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue Retry retry,
        @DefaultValue Paging paging,
        Map<String, String> basePaths) {

    public static final String DEFAULT_BASE_URL = "https://api.staging.leap.energy";

    public LeapProperties {
        baseUrl = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : stripTrailingSlash(baseUrl.trim());
        connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
        readTimeout = readTimeout != null ? readTimeout : Duration.ofSeconds(30);
        retry = retry != null ? retry : Retry.defaults();
        paging = paging != null ? paging : Paging.defaults();
        basePaths = basePaths == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(basePaths));
    }

    /** Defaults for everything except URL and key (handy in tests and tools). */
    public static LeapProperties of(String baseUrl, String apiKey) {
        return new LeapProperties(baseUrl, apiKey, null, null, null, null, null);
    }

    public LeapProperties withRetry(Retry newRetry) {
        return new LeapProperties(baseUrl, apiKey, connectTimeout, readTimeout, newRetry, paging, basePaths);
    }

    public LeapProperties withPaging(Paging newPaging) {
        return new LeapProperties(baseUrl, apiKey, connectTimeout, readTimeout, retry, newPaging, basePaths);
    }

    public LeapProperties withTimeouts(Duration connect, Duration read) {
        return new LeapProperties(baseUrl, apiKey, connect, read, retry, paging, basePaths);
    }

    /** Base path for a service: the {@code base-paths.<key>} override or the service default. */
    public String basePath(LeapService service) {
        String configured = basePaths.get(service.propertyKey());
        String path = (configured == null || configured.isBlank()) ? service.defaultBasePath() : configured.trim();
        path = stripTrailingSlash(path);
        if (!path.isEmpty() && !path.startsWith("/")) {
            path = "/" + path;
        }
        return path;
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    private static String stripTrailingSlash(String s) {
        String r = s;
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    @Override
    public String toString() {
        return "LeapProperties[baseUrl=" + baseUrl
                + ", apiKey=" + (hasApiKey() ? "****(set)" : "(not set)")
                + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout
                + ", retry=" + retry
                + ", paging=" + paging
                + ", basePaths=" + basePaths + "]";
    }

    /**
     * Exponential backoff: {@code initialBackoff * multiplier^(n-1)}, capped at {@code maxBackoff},
     * then randomised by {@code ±jitter} (0.5 = ±50%).
     *
     * @param maxAttempts total attempts including the first one (1 = no retry)
     */
    public record Retry(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("0.5") double jitter) {

        public Retry {
            if (maxAttempts < 1) {
                maxAttempts = 1;
            }
            initialBackoff = Objects.requireNonNullElse(initialBackoff, Duration.ofMillis(500));
            maxBackoff = Objects.requireNonNullElse(maxBackoff, Duration.ofSeconds(30));
            if (multiplier < 1.0) {
                multiplier = 1.0;
            }
            jitter = Math.max(0.0, Math.min(1.0, jitter));
        }

        public static Retry defaults() {
            return new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.5);
        }
    }

    /**
     * @param maxPages hard stop for one cursor walk; exceeding it throws {@link LeapPagingException}
     */
    public record Paging(@DefaultValue("10000") int maxPages) {

        public Paging {
            if (maxPages < 1) {
                maxPages = 1;
            }
        }

        public static Paging defaults() {
            return new Paging(10_000);
        }
    }
}
