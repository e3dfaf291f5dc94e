package io.leapvpp.hub.operations;

/**
 * An inbound HTTP request the hub refuses (4xx): the status, a short machine-readable error, a
 * detail for the sender, and the reason stored in {@code hub_rejected_input}. Never carries a
 * stack trace to the caller.
 */
public class HttpRejection extends RuntimeException {

    private final int status;
    private final String error;
    private final String detail;

    public HttpRejection(int status, String error, String detail) {
        super(error + ": " + detail, null, false, false);
        this.status = status;
        this.error = error;
        this.detail = detail;
    }

    public static HttpRejection unauthorized(String detail) {
        return new HttpRejection(401, "unauthorized", detail);
    }

    public static HttpRejection badRequest(String detail) {
        return new HttpRejection(400, "invalid_request", detail);
    }

    public static HttpRejection tooLarge(String detail) {
        return new HttpRejection(413, "payload_too_large", detail);
    }

    public static HttpRejection notFound(String detail) {
        return new HttpRejection(404, "not_found", detail);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return detail;
    }
}
