package io.leapvpp.hub.leap;

import java.util.List;

/**
 * A failed Leap call: an HTTP error status (decoded by {@link LeapErrorDecoder}) or an I/O failure
 * ({@code status() == 0}, category {@link LeapErrorCategory#IO}).
 */
public class LeapApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final LeapService service;
    private final String operation;
    private final String method;
    private final String path;
    private final transient LeapError error;
    private final LeapErrorCategory category;
    private final int attempts;

    public LeapApiException(int status, LeapService service, String operation, String method, String path,
                            LeapError error, LeapErrorCategory category, int attempts, Throwable cause) {
        super(buildMessage(status, service, operation, method, path, error, category, attempts), cause);
        this.status = status;
        this.service = service;
        this.operation = operation;
        this.method = method;
        this.path = path;
        this.error = error;
        this.category = category;
        this.attempts = attempts;
    }

    /** Copy with a different attempt count / cause (used when the retry loop gives up). */
    protected LeapApiException(String messagePrefix, LeapApiException source, Throwable cause) {
        super(messagePrefix + source.getMessage(), cause);
        this.status = source.status;
        this.service = source.service;
        this.operation = source.operation;
        this.method = source.method;
        this.path = source.path;
        this.error = source.error;
        this.category = source.category;
        this.attempts = source.attempts;
    }

    /** HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }

    public LeapService service() {
        return service;
    }

    /** Operation name (Leap operationId for typed helpers, otherwise {@code METHOD /path}). */
    public String operation() {
        return operation;
    }

    public String method() {
        return method;
    }

    /** Request path incl. base path (no host, no query). */
    public String path() {
        return path;
    }

    public LeapError error() {
        return error;
    }

    public LeapErrorCategory category() {
        return category;
    }

    /** Whether the failure class is transient (429, 5xx, I/O). Says nothing about idempotency of the call. */
    public boolean retryable() {
        return category.retryable();
    }

    /** Number of HTTP attempts made before this exception was thrown. */
    public int attempts() {
        return attempts;
    }

    public String code() {
        return error == null ? null : error.code();
    }

    public List<String> detailMessages() {
        return error == null ? List.of() : error.detailMessages();
    }

    public String rawBody() {
        return error == null ? "" : error.rawBody();
    }

    static String buildMessage(int status, LeapService service, String operation, String method, String path,
                               LeapError error, LeapErrorCategory category, int attempts) {
        StringBuilder sb = new StringBuilder("Leap ");
        sb.append(service).append(' ').append(operation);
        if (method != null && path != null && !operation.equals(method + " " + path)) {
            sb.append(" (").append(method).append(' ').append(path).append(')');
        }
        sb.append(" failed: ");
        sb.append(status > 0 ? "HTTP " + status : "no response").append(' ').append(category);
        if (error != null) {
            if (!error.code().isBlank() && !"UNKNOWN".equals(error.code())) {
                sb.append(' ').append(error.code());
            }
            if (!error.message().isBlank()) {
                sb.append(": ").append(error.message());
            }
            List<String> details = error.detailMessages();
            if (!details.isEmpty()) {
                int shown = Math.min(details.size(), 5);
                sb.append(" [").append(String.join("; ", details.subList(0, shown)));
                if (details.size() > shown) {
                    sb.append("; … ").append(details.size() - shown).append(" more");
                }
                sb.append(']');
            }
        }
        if (status == 403) {
            sb.append(" — Leap answers 403 when the API key belongs to the other environment"
                    + " (staging vs production) or lacks the permission for this operation;"
                    + " check hub.leap.base-url against the key's environment and the key's permissions");
        } else if (status == 401) {
            sb.append(" — the API key is missing, malformed or revoked (check hub.leap.api-key)");
        }
        if (attempts > 1) {
            sb.append(" (after ").append(attempts).append(" attempts)");
        }
        return sb.toString();
    }
}
