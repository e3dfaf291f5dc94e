package io.leapvpp.hub.onboarding;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.leapvpp.hub.operations.RejectedInputs;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Java half of the shared CSV inbox (routes/05-csv-inbox.camel.yaml): reads a file taken from an inbox folder or
 * SFTP directory, refuses it whole when it is not a CSV with the expected header, hands the route its data rows
 * ({@link CsvRow}) and records what happened to each ({@code csv_inbox_file}, {@code csv_inbox_rejection}).
 * <p>
 * The file is read completely before any row is handed on, so a file that turns out to be malformed half-way never
 * leaves half of its rows behind. Where the consumer moves the file when the exchange completes is decided here
 * (exchange property {@value #KEEP_AS}): {@code done/<id>-<name>} once every row was stored or refused, else
 * {@code error/<id>-<name>}. The route sets a pessimistic error/ default before anything else runs.
 */
@Component("csvInbox")
public class CsvInbox {

    private static final Logger log = LoggerFactory.getLogger(CsvInbox.class);

    /** Exchange property read by the consumer's {@code move} option: the path, below the inbox, to keep the file at. */
    public static final String KEEP_AS = "CsvInboxKeepAs";
    /** Exchange property holding the {@link FileState} of the file being read. */
    public static final String FILE = "CsvInboxFile";
    /** Exchange property holding the {@link CsvRow} a split step works on. */
    public static final String ROW = "CsvRow";
    static final int MAX_ROW_TEXT = 4096;
    static final int MAX_DETAIL = 2000;

    /** What is known of the file while its rows go through the route; counters are shared with the split steps. */
    public static final class FileState {
        final long id;
        final String inbox;
        final String fileName;
        final int rows;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final int refusedUpFront;

        FileState(long id, String inbox, String fileName, int rows, int refusedUpFront) {
            this.id = id;
            this.inbox = inbox;
            this.fileName = fileName;
            this.rows = rows;
            this.refusedUpFront = refusedUpFront;
        }

        public long id() {
            return id;
        }
    }

    /** The file as a whole is refused. */
    static final class MalformedFileException extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        MalformedFileException(String reason, String detail) {
            super(detail);
            this.reason = reason;
        }
    }

    private final JdbcTemplate jdbc;
    private final RejectedInputs rejectedInputs;
    private final CsvInboxProperties properties;

    public CsvInbox(JdbcTemplate jdbc, RejectedInputs rejectedInputs, CsvInboxProperties properties) {
        this.jdbc = jdbc;
        this.rejectedInputs = rejectedInputs;
        this.properties = properties;
    }

    /**
     * First step for a file: records it, checks it is a CSV whose header has every required column and no unknown
     * one, stores rows that do not fit the header (wrong number of fields) as rejections and leaves the other data
     * rows as the body (a list of {@link CsvRow}). A malformed file leaves an empty list.
     *
     * @param columns         required header columns, comma-separated
     * @param optionalColumns further allowed columns, comma-separated (may be blank)
     */
    public void receive(Exchange exchange, String inbox, String columns, String optionalColumns) {
        Set<String> required = names(columns);
        Set<String> optional = names(optionalColumns);
        if (required.isEmpty()) {
            throw new IllegalArgumentException("CSV inbox " + inbox + ": no required columns configured");
        }
        String fileName = fileName(exchange);
        Long length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class);
        String source = exchange.getFromEndpoint() == null ? inbox : exchange.getFromEndpoint().getEndpointBaseUri();
        long id = jdbc.queryForObject("""
                INSERT INTO csv_inbox_file (inbox, source, file_name, file_bytes) VALUES (?, ?, ?, ?) RETURNING id""",
                Long.class, inbox, cut(source, 500), cut(fileName, 500), length);
        exchange.setProperty(KEEP_AS, "error/" + id + "-" + fileName);

        byte[] content = null;
        try {
            if (length != null && length > properties.maxFileSize().toBytes()) {
                throw new MalformedFileException("too-large", "the file has " + length + " bytes; at most "
                        + properties.maxFileSize().toBytes() + " are read (hub.inbox.max-file-size)");
            }
            content = exchange.getMessage().getBody(byte[].class);
            if (content == null) {
                content = new byte[0];
            }
            if (content.length > properties.maxFileSize().toBytes()) {
                throw new MalformedFileException("too-large", "the file has " + content.length + " bytes; at most "
                        + properties.maxFileSize().toBytes() + " are read (hub.inbox.max-file-size)");
            }
            jdbc.update("UPDATE csv_inbox_file SET file_bytes = ?, sha256 = ? WHERE id = ?", content.length, sha256(content), id);
            Parsed parsed = parse(content, required, optional);
            for (Refused r : parsed.refused()) {
                storeRejection(id, r.line(), "wrong-field-count", r.detail(), r.text());
            }
            List<CsvRow> rows = new ArrayList<>(parsed.rows().size());
            for (ParsedRow r : parsed.rows()) {
                rows.add(new CsvRow(id, inbox, fileName, r.line(), r.values()));
            }
            exchange.setProperty(FILE, new FileState(id, inbox, fileName, rows.size() + parsed.refused().size(), parsed.refused().size()));
            exchange.getMessage().setBody(rows);
            log.info("CSV inbox {}: {} read ({} data rows, {} refused for their shape)", inbox, fileName, rows.size(),
                    parsed.refused().size());
        } catch (MalformedFileException e) {
            String detail = cut(e.getMessage(), MAX_DETAIL);
            jdbc.update("""
                    UPDATE csv_inbox_file SET status = 'REJECTED', reason = ?, detail = ?, finished_at = now(), kept_as = ?
                     WHERE id = ?""", e.reason, detail, "error/" + id + "-" + fileName, id);
            rejectedInputs.store("csv-inbox/" + inbox, e.reason, fileName + " (csv_inbox_file " + id + "): " + detail,
                    content, content == null ? (length == null ? 0 : (int) Math.min(Integer.MAX_VALUE, length)) : content.length, source);
            log.warn("CSV inbox {}: {} rejected as a whole ({}: {}); kept as error/{}-{}", inbox, fileName, e.reason, detail,
                    id, fileName);
            exchange.setProperty(FILE, new FileState(id, inbox, fileName, 0, 0));
            exchange.getMessage().setBody(List.of());
        }
    }

    /** After the target stored the row. */
    public void accepted(Exchange exchange) {
        state(exchange).accepted.incrementAndGet();
    }

    /** doCatch step: the target refused the row ({@link CsvRowRejectedException}). */
    public void rejectRow(Exchange exchange) {
        FileState file = state(exchange);
        CsvRow row = exchange.getProperty(ROW, CsvRow.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = caught instanceof CsvRowRejectedException r ? r.reason() : "rejected";
        String detail = caught == null || caught.getMessage() == null ? "rejected" : caught.getMessage();
        int line = row == null ? 0 : row.line();
        storeRejection(file.id, line, reason, detail, row == null ? null : rowText(row));
        file.rejected.incrementAndGet();
        log.warn("CSV inbox {}: {} line {} rejected ({}: {})", file.inbox, file.fileName, line, reason, detail);
    }

    /**
     * Last step: records the counts and decides where the file is kept. A row that was neither stored nor refused (it
     * failed and went to the dead letters) keeps the file in error/, so it can be dropped again once fixed.
     */
    public Map<String, Object> finish(Exchange exchange) {
        FileState file = state(exchange);
        String status = jdbc.queryForObject("SELECT status FROM csv_inbox_file WHERE id = ?", String.class, file.id);
        if ("REJECTED".equals(status)) {
            return Map.of("file", file.fileName, "status", status);
        }
        int accepted = file.accepted.get();
        int rejected = file.rejected.get() + file.refusedUpFront;
        int failed = file.rows - accepted - rejected;
        status = failed > 0 ? "INCOMPLETE" : rejected > 0 ? "DONE_WITH_REJECTIONS" : "DONE";
        String keepAs = (failed > 0 ? "error/" : "done/") + file.id + "-" + file.fileName;
        jdbc.update("""
                UPDATE csv_inbox_file SET status = ?, rows_total = ?, rows_accepted = ?, rows_rejected = ?, kept_as = ?,
                       finished_at = now(), detail = ?
                 WHERE id = ?""", status, file.rows, accepted, rejected, keepAs,
                failed > 0 ? failed + " row(s) could not be stored (see hub_dead_letter); drop the file again once fixed" : null,
                file.id);
        exchange.setProperty(KEEP_AS, keepAs);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", file.fileName);
        summary.put("status", status);
        summary.put("rows", file.rows);
        summary.put("accepted", accepted);
        summary.put("rejected", rejected);
        summary.put("kept_as", keepAs);
        return summary;
    }

    // ------------------------------------------------------------------ parsing

    record ParsedRow(int line, Map<String, String> values) {
    }

    record Refused(int line, String detail, String text) {
    }

    record Parsed(List<String> header, List<ParsedRow> rows, List<Refused> refused) {
    }

    /** Reads the whole file; throws when it is not a CSV with an acceptable header. */
    Parsed parse(byte[] content, Set<String> required, Set<String> optional) throws MalformedFileException {
        String text = utf8(content);
        if (text.indexOf('\0') >= 0) {
            throw new MalformedFileException("not-csv", "the file holds binary data (NUL bytes), not CSV text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        LineIndex lines = new LineIndex(text);
        List<CSVRecord> records = new ArrayList<>();
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord record : parser) {
                records.add(record);
                if (records.size() > properties.maxRows() + 1) {
                    throw new MalformedFileException("too-many-rows", "the file has more than " + properties.maxRows()
                            + " data rows (hub.inbox.max-rows)");
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new MalformedFileException("not-csv", "not a well-formed CSV file: " + message);
        } catch (java.io.IOException e) {
            throw new MalformedFileException("not-csv", "not a well-formed CSV file: " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new MalformedFileException("no-header", "the file is empty; expected a header line with the columns "
                    + String.join(",", required));
        }
        List<String> header = new ArrayList<>();
        for (String name : records.get(0)) {
            header.add(name.strip());
        }
        checkHeader(header, required, optional);

        List<ParsedRow> rows = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            CSVRecord record = records.get(i);
            int start = startOf(text, record.getCharacterPosition());
            int line = lines.lineOf(start);
            List<String> cells = record.toList();
            if (cells.stream().allMatch(String::isBlank)) {
                continue; // a line of separators only, e.g. a spreadsheet's trailing empty row
            }
            long nextStart = i + 1 < records.size() ? records.get(i + 1).getCharacterPosition() : text.length();
            String raw = text.substring(start, (int) Math.max(start, Math.min(nextStart, text.length()))).strip();
            if (cells.size() != header.size()) {
                refused.add(new Refused(line, "expected " + header.size() + " fields as in the header, found " + cells.size(),
                        cut(raw, MAX_ROW_TEXT)));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                values.put(header.get(c), cells.get(c).strip());
            }
            rows.add(new ParsedRow(line, values));
        }
        return new Parsed(header, rows, refused);
    }

    /** The parser reports where it started reading, which is before any empty lines it skipped. */
    private static int startOf(String text, long position) {
        int p = (int) position;
        while (p < text.length() && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) {
            p++;
        }
        return p;
    }

    private static void checkHeader(List<String> header, Set<String> required, Set<String> optional)
            throws MalformedFileException {
        Set<String> seen = new LinkedHashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isEmpty()) {
                throw new MalformedFileException("wrong-columns", "column " + (i + 1) + " of the header has no name");
            }
            if (!seen.add(name)) {
                duplicates.add(name);
            }
        }
        List<String> missing = required.stream().filter(c -> !seen.contains(c)).toList();
        List<String> unknown = header.stream().filter(c -> !required.contains(c) && !optional.contains(c)).distinct().toList();
        if (missing.size() == required.size()) {
            throw new MalformedFileException("no-header", "the first line is not the expected header (it has none of the"
                    + " required columns " + String.join(",", required) + ")");
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing required column(s): " + String.join(", ", missing));
        }
        if (!unknown.isEmpty()) {
            problems.add("unknown column(s): " + String.join(", ", unknown));
        }
        if (!duplicates.isEmpty()) {
            problems.add("duplicate column(s): " + String.join(", ", duplicates));
        }
        if (!problems.isEmpty()) {
            throw new MalformedFileException("wrong-columns", String.join("; ", problems) + " (required: "
                    + String.join(",", required) + (optional.isEmpty() ? "" : "; optional: " + String.join(",", optional)) + ")");
        }
    }

    private static String utf8(byte[] content) throws MalformedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFileException("not-csv", "the file is not UTF-8 text (" + e.getMessage() + ")");
        }
    }

    /** Line numbers (1-based) of character offsets. */
    private static final class LineIndex {
        private final int[] starts;

        LineIndex(String text) {
            List<Integer> list = new ArrayList<>();
            list.add(0);
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    list.add(i + 1);
                }
            }
            starts = list.stream().mapToInt(Integer::intValue).toArray();
        }

        int lineOf(long position) {
            int idx = Arrays.binarySearch(starts, (int) position);
            return idx >= 0 ? idx + 1 : -idx - 1;
        }
    }

    // ------------------------------------------------------------------ helpers

    private void storeRejection(long fileId, int line, String reason, String detail, String text) {
        jdbc.update("""
                INSERT INTO csv_inbox_rejection (file_id, line_number, reason, detail, row_text) VALUES (?, ?, ?, ?, ?)""",
                fileId, line, cut(reason, 100), cut(detail, MAX_DETAIL), text == null ? null : cut(text, MAX_ROW_TEXT));
    }

    private static String rowText(CsvRow row) {
        return String.join(",", row.values().values().stream().map(CsvInbox::quote).toList());
    }

    private static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    private static FileState state(Exchange exchange) {
        FileState state = exchange.getProperty(FILE, FileState.class);
        if (state == null) {
            throw new IllegalStateException("CSV inbox step called without csvInbox.receive first");
        }
        return state;
    }

    private static String fileName(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (name == null) {
            name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        }
        return name == null ? "unnamed.csv" : name;
    }

    static Set<String> names(String commaSeparated) {
        Set<String> out = new LinkedHashSet<>();
        if (commaSeparated == null) {
            return out;
        }
        for (String s : commaSeparated.split(",")) {
            String n = s.strip();
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
