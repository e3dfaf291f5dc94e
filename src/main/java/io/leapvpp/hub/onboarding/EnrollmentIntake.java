package io.leapvpp.hub.onboarding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows of a Create Meters CSV file into the partner enrollment table ({@code partner_enrollment}), one upsert per row
 * keyed by {@code partner_reference}: the CSV inbox's target (routes/45-create-meters-inbox.camel.yaml). Only the
 * columns the file has are written, so a file with fewer columns leaves the others as they were. Leap's rules are
 * checked later, for every row alike, whether it came from a file or from the partner's integration; here a row is
 * refused only when it cannot be stored at all (no partner_reference, text in a number column, ...).
 */
public class EnrollmentIntake {

    private final JdbcTemplate jdbc;
    private final CreateMetersFields fields;

    public EnrollmentIntake(JdbcTemplate jdbc, CreateMetersFields fields) {
        this.jdbc = jdbc;
        this.fields = fields;
    }

    /** The CSV inbox target: stores the row or throws {@link CsvRowRejectedException}. */
    public void fromCsvRow(CsvRow row) {
        String reference = row.value("partner_reference");
        if (reference == null) {
            throw new CsvRowRejectedException("missing-value", "partner_reference is empty; every row needs Leap's partner"
                    + " reference (" + row.where() + ")");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> cell : row.values().entrySet()) {
            CreateMetersFields.Field f = CreateMetersFields.byPath(cell.getKey());
            if (f != null) {
                values.put(f.column(), fields.fromCsv(f, cell.getValue(), row));
            }
        }
        values.put("partner_reference", reference);
        String partnerRowId = row.value(CreateMetersFields.PARTNER_ROW_ID);

        List<String> columns = new ArrayList<>(values.keySet());
        List<Object> args = new ArrayList<>(values.values());
        StringBuilder insert = new StringBuilder("INSERT INTO partner_enrollment (").append(String.join(", ", columns))
                .append(", partner_row_id, source, source_file, source_line, csv_inbox_file_id) VALUES (");
        for (String c : columns) {
            insert.append(c.equals("site_devices") ? "CAST(? AS jsonb), " : "?, ");
        }
        insert.append("?, 'csv', ?, ?, ?) ON CONFLICT (partner_reference) DO UPDATE SET ");
        for (String c : columns) {
            insert.append(c).append(" = EXCLUDED.").append(c).append(", ");
        }
        insert.append("partner_row_id = COALESCE(EXCLUDED.partner_row_id, partner_enrollment.partner_row_id), source = 'csv',"
                + " source_file = EXCLUDED.source_file, source_line = EXCLUDED.source_line,"
                + " csv_inbox_file_id = EXCLUDED.csv_inbox_file_id");
        args.add(partnerRowId);
        args.add(CsvInbox.cut(row.fileName(), 500));
        args.add(row.line());
        args.add(row.fileId());
        try {
            jdbc.update(insert.toString(), args.toArray());
        } catch (DuplicateKeyException e) {
            throw new CsvRowRejectedException("duplicate-partner-row-id", "partner_row_id '" + partnerRowId
                    + "' already belongs to another partner_reference (" + row.where() + ")");
        }
    }
}
