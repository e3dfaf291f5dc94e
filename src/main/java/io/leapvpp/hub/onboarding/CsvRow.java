package io.leapvpp.hub.onboarding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One data row of a CSV file from an inbox (routes/05-csv-inbox.camel.yaml), as handed to the use case's target.
 *
 * @param fileId   {@code csv_inbox_file.id}
 * @param inbox    the inbox name
 * @param fileName the file's name
 * @param line     the line of the file the row starts on (the header is line 1)
 * @param values   cell per header column, in header order, surrounding whitespace removed
 */
public record CsvRow(long fileId, String inbox, String fileName, int line, Map<String, String> values) {

    public CsvRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The cell of a column, or null when the column is absent or the cell is blank. */
    public String value(String column) {
        String v = values.get(column);
        return v == null || v.isEmpty() ? null : v;
    }

    /** "file.csv line 7", for messages. */
    public String where() {
        return fileName + " line " + line;
    }
}
