package io.leapvpp.hub.leap;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Leap error body normalised across the envelopes of GUIDE §1.5.
 *
 * @param envelope which body shape was recognised
 * @param code     machine code: dispatch {@code error_code} (else {@code code}), webhook {@code error}
 *                 upper-snake-cased, else derived from the HTTP status (e.g. {@code NOT_FOUND})
 * @param title    short summary ({@code title}, dispatch {@code code}, webhook {@code error} …)
 * @param message  best human-readable message
 * @param details  normalised details (may be empty)
 * @param rawBody  response body, capped at {@link LeapErrorDecoder#MAX_RAW_BODY_CHARS} characters
 */
public record LeapError(Envelope envelope, String code, String title, String message,
                        List<LeapErrorDetail> details, String rawBody) {

    /** The body shapes Leap is known to return. */
    public enum Envelope {
        /** {@code {title, status, details}} with details as object, array or absent. */
        TITLE_STATUS_DETAILS,
        /** Create single meter: {@code {errors:[{field, description, suggestions}]}}. */
        CREATE_METER_ERRORS,
        /** Dispatch v2: {@code {code, message, error_code}}. */
        DISPATCH,
        /** Webhook subscription API: {@code {error, message}}. */
        WEBHOOK,
        /** A bare {@code {message, json_index|csv_row, problem_field}} validation error. */
        MESSAGE,
        /** Any other JSON object (interval-data upload declares untyped bodies). */
        UNTYPED_JSON,
        /** A JSON string or non-JSON text (plain text, HTML, garbage). */
        TEXT,
        /** No body at all. */
        EMPTY,
        /** No HTTP response (connect failure, timeout, reset). */
        NONE
    }

    public LeapError {
        details = details == null ? List.of() : List.copyOf(details);
        code = code == null ? "UNKNOWN" : code;
        title = title == null ? "" : title;
        message = message == null ? "" : message;
        rawBody = rawBody == null ? "" : rawBody;
    }

    /** Detail lines in compact form. */
    public List<String> detailMessages() {
        return details.stream().map(LeapErrorDetail::summary).collect(Collectors.toList());
    }

    /** Offending fields named by the details (deduplicated, in order). */
    public List<String> fields() {
        return details.stream().map(LeapErrorDetail::field)
                .filter(f -> f != null && !f.isBlank()).distinct().collect(Collectors.toList());
    }
}
