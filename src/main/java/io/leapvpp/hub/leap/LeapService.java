package io.leapvpp.hub.leap;

/**
 * The Leap services the hub talks to. Leap versions its API per service in the URI
 * (GUIDE §1.1), so each service carries its own base path; callers pass paths
 * <em>without</em> the version segment (e.g. {@code "/dispatch/meter/search"}).
 * The base path can be overridden with {@code hub.leap.base-paths.<propertyKey>}.
 */
public enum LeapService {
    CREATE_METERS("create-meters", "/v1.1"),
    METER_DETAILS("meter-details", "/v2"),
    METER_ENROLLMENT("meter-enrollment", "/v2"),
    ENROLLMENT_MANAGEMENT("enrollment-management", "/v1.1"),
    DISPATCH("dispatch", "/v2"),
    WEBHOOKS("webhooks", "/v1.1"),
    REVENUE("revenue", "/v1.1"),
    PERFORMANCE("performance", "/v1.1"),
    NOMINATIONS("nominations", "/v2"),
    INTERVAL_DATA("interval-data", "/v1.1");

    private final String propertyKey;
    private final String defaultBasePath;

    LeapService(String propertyKey, String defaultBasePath) {
        this.propertyKey = propertyKey;
        this.defaultBasePath = defaultBasePath;
    }

    /** Key under {@code hub.leap.base-paths}, e.g. {@code dispatch}. */
    public String propertyKey() {
        return propertyKey;
    }

    public String defaultBasePath() {
        return defaultBasePath;
    }
}
