package io.leapvpp.hub.onboarding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.leapvpp.hub.devices.AlertsProperties;
import io.leapvpp.hub.devices.DispatchAlerts;
import io.leapvpp.hub.operations.SqlArrays;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one mail per Create Meters run that tells operations what to fix: rows the hub did not send because they break
 * Leap's rules, rows Leap refused (with Leap's status detail), and CSV files or rows the inbox refused. Everything in
 * a mail is marked reported in the route's transaction after the SMTP server accepted it; if the mail fails, the
 * transaction rolls back and the next run's mail lists it again. Templates (config/templates/create-meters-report*.txt)
 * work like the dispatch alert digest's.
 */
public class CreateMetersReport {

    private static final Logger log = LoggerFactory.getLogger(CreateMetersReport.class);
    static final long REPORT_LOCK = 0x1EA9_C4EA_7E02L;
    static final String ROW_IDS = "createMetersReportRows";
    static final String FILE_IDS = "createMetersReportFiles";

    private final JdbcTemplate jdbc;
    private final AlertsProperties templates;
    private final String inbox;

    /** @param inbox the CSV inbox name of Create Meters, whose refused files and rows belong in this report */
    public CreateMetersReport(JdbcTemplate jdbc, AlertsProperties templates, String inbox) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.inbox = inbox;
    }

    /** Renders the mail into the body (and Subject) when there is something to fix; else leaves the body null. */
    public void prepare(Exchange exchange) {
        exchange.getMessage().setBody(null);
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, REPORT_LOCK);
        if (!Boolean.TRUE.equals(locked)) {
            return;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, partner_reference, partner_row_id, source, source_file, source_line, status, leap_status,
                       status_detail_name, status_detail_description, status_detail_failed_fields::text AS failed_fields,
                       leap_job_id::text AS leap_job_id
                  FROM partner_enrollment
                 WHERE reported_at IS NULL AND status IN ('INVALID', 'FAILED')
                 ORDER BY id FOR UPDATE""");
        List<Map<String, Object>> files = jdbc.queryForList("""
                SELECT id, file_name, source, status, reason, detail, rows_total, rows_rejected, kept_as
                  FROM csv_inbox_file
                 WHERE inbox = ? AND reported_at IS NULL AND finished_at IS NOT NULL
                   AND (status IN ('REJECTED', 'INCOMPLETE') OR rows_rejected > 0)
                 ORDER BY id FOR UPDATE""", inbox);
        if (rows.isEmpty() && files.isEmpty()) {
            return;
        }
        String item = template("create-meters-report-item.txt");
        StringBuilder notSent = new StringBuilder();
        StringBuilder refused = new StringBuilder();
        List<Long> rowIds = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            rowIds.add(((Number) r.get("id")).longValue());
            boolean invalid = "INVALID".equals(r.get("status"));
            String problem = invalid ? "breaks Leap's rules" : "refused by Leap: " + r.get("leap_status") + " " + r.get("status_detail_name");
            String detail = String.valueOf(r.get("status_detail_description"));
            if (!invalid && r.get("failed_fields") != null) {
                detail += " Failed fields: " + r.get("failed_fields");
            }
            (invalid ? notSent : refused).append(DispatchAlerts.render(item, Map.of(
                    "partner_reference", String.valueOf(r.get("partner_reference")),
                    "problem", problem,
                    "where", where(r),
                    "detail", detail)));
        }
        StringBuilder fileText = new StringBuilder();
        List<Long> fileIds = new ArrayList<>();
        for (Map<String, Object> f : files) {
            long id = ((Number) f.get("id")).longValue();
            fileIds.add(id);
            fileText.append("* ").append(f.get("file_name")).append(" (").append(f.get("source")).append(", kept as ")
                    .append(f.get("kept_as")).append(")\n");
            if ("REJECTED".equals(f.get("status"))) {
                fileText.append("    refused as a whole: ").append(f.get("reason")).append(": ").append(f.get("detail")).append('\n');
                continue;
            }
            if ("INCOMPLETE".equals(f.get("status"))) {
                fileText.append("    ").append(f.get("detail")).append('\n');
            }
            for (Map<String, Object> rej : jdbc.queryForList(
                    "SELECT line_number, reason, detail FROM csv_inbox_rejection WHERE file_id = ? ORDER BY line_number, id", id)) {
                fileText.append("    line ").append(rej.get("line_number")).append(": ").append(rej.get("reason")).append(": ")
                        .append(rej.get("detail")).append('\n');
            }
        }
        Map<String, String> values = Map.of(
                "count", String.valueOf(rows.size()),
                "files", String.valueOf(files.size()),
                "until", Instant.now().toString(),
                "not_sent", section(notSent, "Not sent to Leap (the row breaks Leap's rules)"),
                "refused", section(refused, "Refused by Leap (the job's result for the asset)"),
                "csv", section(fileText, "CSV files the inbox refused, as a whole or in part"));
        exchange.getMessage().setHeader("Subject", DispatchAlerts.render(template("create-meters-report-subject.txt"), values).trim());
        exchange.getMessage().setHeader("Content-Type", "text/plain; charset=UTF-8");
        exchange.getMessage().setBody(DispatchAlerts.render(template("create-meters-report.txt"), values));
        exchange.setProperty(ROW_IDS, rowIds);
        exchange.setProperty(FILE_IDS, fileIds);
    }

    /** After the SMTP server accepted the mail. */
    @SuppressWarnings("unchecked")
    public void markSent(Exchange exchange) {
        List<Long> rows = exchange.getProperty(ROW_IDS, List.class);
        List<Long> files = exchange.getProperty(FILE_IDS, List.class);
        jdbc.update(SqlArrays.statement("""
                UPDATE partner_enrollment p SET reported_at = now() FROM unnest(?::bigint[]) AS ids(id) WHERE p.id = ids.id""",
                "bigint", rows));
        jdbc.update(SqlArrays.statement("""
                UPDATE csv_inbox_file f SET reported_at = now() FROM unnest(?::bigint[]) AS ids(id) WHERE f.id = ids.id""",
                "bigint", files));
        log.info("Create meters report sent to operations: {} row(s) to fix, {} CSV file(s)", rows.size(), files.size());
    }

    private static String where(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        if ("csv".equals(r.get("source"))) {
            sb.append(r.get("source_file")).append(" line ").append(r.get("source_line"));
        } else {
            sb.append("partner_enrollment id ").append(r.get("id"));
        }
        if (r.get("partner_row_id") != null) {
            sb.append(", partner_row_id ").append(r.get("partner_row_id"));
        }
        if (r.get("leap_job_id") != null) {
            sb.append(", Leap job ").append(r.get("leap_job_id"));
        }
        return sb.toString();
    }

    private static String section(StringBuilder items, String title) {
        return items.isEmpty() ? "" : title + ":\n" + items + "\n";
    }

    private String template(String name) {
        try {
            return Files.readString(Path.of(templates.getTemplatesDir(), name));
        } catch (IOException e) {
            throw new UncheckedIOException("Create meters report template missing: " + Path.of(templates.getTemplatesDir(), name), e);
        }
    }
}
