package io.leapvpp.hub.sandbox.web;

/** Which Leap service a path belongs to; each service has its own error envelope (GUIDE §1.5). */
public enum LeapService {
    METERS, METER_JOBS, SINGLE_METER, DISPATCH, WEBHOOKS, CONTROL, UNKNOWN;

    public static LeapService of(String path) {
        if (path.startsWith("/sandbox")) return CONTROL;
        if (path.startsWith("/v2/dispatch")) return DISPATCH;
        if (path.startsWith("/v2/meters")) return METERS;
        if (path.startsWith("/v1.1/jobs")) return METER_JOBS;
        if (path.equals("/v1.1/meters")) return SINGLE_METER;
        if (path.startsWith("/v1.1/webhooks")) return WEBHOOKS;
        return UNKNOWN;
    }
}
