package io.leapvpp.hub.onboarding;

/**
 * Thrown by a CSV inbox target for a row it refuses: the inbox stores the row with its line number, this reason and
 * detail ({@code csv_inbox_rejection}) and goes on with the next row. Anything else a target throws is a failure to
 * store the row (the error policy retries it, then dead-letters it and the file is kept in error/).
 */
public class CsvRowRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason short machine-readable reason, e.g. {@code missing-value}
     * @param detail what is wrong and what to fix, for operations
     */
    public CsvRowRejectedException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
