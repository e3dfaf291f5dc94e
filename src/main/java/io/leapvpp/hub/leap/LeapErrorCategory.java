package io.leapvpp.hub.leap;

/** Coarse classification of a failed Leap call; drives retry and alerting. */
public enum LeapErrorCategory {
    /** 401/403: bad, revoked or wrong-environment key, or a key lacking a permission. Not retryable; alert. */
    AUTH(false),
    /** 404: unknown meter/job/webhook id. Not retryable. */
    NOT_FOUND(false),
    /** 400/409/415/422: the request is wrong. Not retryable; fix the input. */
    VALIDATION(false),
    /** 429: retryable after backoff / Retry-After. */
    RATE_LIMITED(true),
    /** 5xx: retryable for idempotent calls. */
    SERVER(true),
    /** Connect failure, timeout, reset: retryable for idempotent calls. */
    IO(true),
    /** Any other unexpected status (3xx, 405, 406, 408 …). Not retryable. */
    CLIENT(false);

    private final boolean retryable;

    LeapErrorCategory(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    public static LeapErrorCategory forStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status == 400 || status == 409 || status == 415 || status == 422) {
            return VALIDATION;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status >= 500 && status <= 599) {
            return SERVER;
        }
        if (status <= 0) {
            return IO;
        }
        return CLIENT;
    }
}
