package io.leapvpp.hub.leap;

import java.util.List;

/**
 * One normalised detail of a Leap error: a message plus, where Leap says so, the offending field
 * and the JSON array index or CSV row.
 *
 * @param message     human-readable message (never null)
 * @param field       offending field/column ({@code problem_field}, {@code field} or a details key), may be null
 * @param description secondary text ({@code description} in revenue/create-meter errors), may be null
 * @param jsonIndex   {@code json_index} of a create-meters batch item, may be null
 * @param csvRow      {@code csv_row} of a create-meters CSV upload, may be null
 * @param suggestions create-single-meter suggestions flattened to {@code field=suggestion}
 */
public record LeapErrorDetail(String message, String field, String description, Integer jsonIndex,
                              Integer csvRow, List<String> suggestions) {

    public LeapErrorDetail {
        message = message == null ? "" : message;
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
    }

    public static LeapErrorDetail of(String field, String message) {
        return new LeapErrorDetail(message, field, null, null, null, List.of());
    }

    /** Compact one-line form, e.g. {@code [json_index 3] transmission_region: Invalid format}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        if (jsonIndex != null) {
            sb.append("[json_index ").append(jsonIndex).append("] ");
        }
        if (csvRow != null) {
            sb.append("[csv_row ").append(csvRow).append("] ");
        }
        if (field != null && !field.isBlank()) {
            sb.append(field).append(": ");
        }
        sb.append(message);
        if (description != null && !description.isBlank() && !description.equals(message)) {
            sb.append(message.isEmpty() ? "" : " - ").append(description);
        }
        if (!suggestions.isEmpty()) {
            sb.append(" (suggestions: ").append(String.join(", ", suggestions)).append(')');
        }
        return sb.toString();
    }
}
