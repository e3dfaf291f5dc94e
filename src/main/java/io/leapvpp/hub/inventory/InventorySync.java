package io.leapvpp.hub.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.leap.LeapRequest;
import io.leapvpp.hub.leap.LeapService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles the inventory with Leap by paging through {@code searchMeterEnrollments}: FULL (every meter, archived
 * included), DELTA ({@code last_modified_date_time} = last successful run's start minus a safety margin) and INITIAL
 * (a FULL at start when the table is empty).
 * <p>
 * Each page is written in one transaction together with the run's cursor and counters, so a run that Leap
 * interrupts (an error after the client's retries) is stored as INTERRUPTED with the cursor of the first page not
 * written, and the next run resumes from there without counting a meter twice. One run at a time across all hubs
 * sharing the database (a PostgreSQL advisory lock).
 */
public class InventorySync {

    private static final Logger log = LoggerFactory.getLogger(InventorySync.class);
    /** Advisory lock key: one reconciliation at a time per database. */
    static final long LOCK_KEY = 0x1EA9_1A7E_0001L;

    public enum Kind { FULL, DELTA, INITIAL }

    /** What a call did. {@code status}: COMPLETED, SKIPPED (another run holds the lock), NOTHING_TO_DO. */
    public record Result(long runId, Kind kind, String status, boolean resumed, int pages, int metersReceived,
                         int metersWritten, int metersDistinct, Integer metersMissing, long millis) {
    }

    /** Leap (or the database) stopped the run; it is stored as INTERRUPTED and the next run resumes it. */
    public static class InterruptedSyncException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long runId;

        public InterruptedSyncException(long runId, String message, Throwable cause) {
            super(message, cause);
            this.runId = runId;
        }

        public long runId() {
            return runId;
        }
    }

    private record Run(long id, Kind kind, ObjectNode filter, String cursor, int pages, int resumeCount, Instant startedAt) {
    }

    private final LeapClient leap;
    private final MeterInventoryStore store;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final InventoryProperties properties;
    private final ObjectMapper mapper;

    public InventorySync(LeapClient leap, MeterInventoryStore store, JdbcTemplate jdbc, TransactionTemplate tx,
                         InventoryProperties properties, ObjectMapper mapper) {
        this.leap = leap;
        this.store = store;
        this.jdbc = jdbc;
        this.dataSource = jdbc.getDataSource();
        this.tx = tx;
        this.properties = properties;
        this.mapper = mapper;
    }

    /** Route entry point: {@code bean: inventorySync, method: sync('DELTA')}. */
    public Result sync(String kind) {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("sync kind missing: FULL, DELTA or INITIAL");
        }
        return run(Kind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT)));
    }

    /** Initial load: a full sync when meter_inventory is empty (or an interrupted run is waiting), else nothing. */
    public Result initialLoadIfEmpty() {
        Boolean empty = jdbc.queryForObject("SELECT NOT EXISTS (SELECT 1 FROM meter_inventory)", Boolean.class);
        if (!Boolean.TRUE.equals(empty)) {
            log.info("Meter inventory initial load: the inventory already holds meters; nothing to do");
            return new Result(0, Kind.INITIAL, "NOTHING_TO_DO", false, 0, 0, 0, 0, null, 0);
        }
        return run(Kind.INITIAL);
    }

    public Result run(Kind requested) {
        long t0 = System.nanoTime();
        try (Connection lockConnection = dataSource.getConnection()) {
            if (!tryLock(lockConnection)) {
                log.info("Meter inventory {} sync skipped: another sync is running", requested);
                return new Result(0, requested, "SKIPPED", false, 0, 0, 0, 0, null, 0);
            }
            try {
                return runLocked(requested, t0);
            } finally {
                unlock(lockConnection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Meter inventory sync: database unavailable: " + e.getMessage(), e);
        }
    }

    private Result runLocked(Kind requested, long t0) {
        Run run = resumable(requested);
        boolean resumed = run != null;
        if (run == null) {
            run = start(requested);
        }
        Run current = run;
        log.info("Meter inventory {} sync {} run {} (filter {}, cursor {})", current.kind(), resumed ? "resumes" : "starts",
                current.id(), current.filter(), current.cursor() == null ? "none" : "stored");
        if (!(current.pages() > 0 && current.cursor() == null)) { // pages written and no cursor = the walk had finished
            ObjectNode body = current.filter().deepCopy();
            if (current.cursor() != null) {
                body.put("page_token", current.cursor());
            }
            MeterInventoryStore.WriteContext ctx = MeterInventoryStore.WriteContext.sync(current.kind().name(), current.id());
            long walkStart = System.nanoTime();
            long[] writeNanos = {0};
            try {
                leap.forEachRawPage(LeapRequest.search(LeapService.METER_ENROLLMENT, "/meters/enrollments/search")
                        .body(body).operation("searchMeterEnrollments").build(), "meters", page -> {
                            long w0 = System.nanoTime();
                            tx.executeWithoutResult(s -> {
                                MeterInventoryStore.PageResult r = store.upsertPage(page.items(), ctx);
                                jdbc.update("UPDATE inventory_sync_run SET cursor = ?, pages = pages + 1,"
                                                + " meters_received = meters_received + ?, meters_written = meters_written + ?,"
                                                + " heartbeat_at = now() WHERE id = ?",
                                        page.nextPageToken(), r.received(), r.written(), current.id());
                            });
                            writeNanos[0] += System.nanoTime() - w0;
                        });
                long total = (System.nanoTime() - walkStart) / 1_000_000;
                log.info("Meter inventory {} sync run {}: walk took {} ms, of which {} ms writing to the database",
                        current.kind(), current.id(), total, writeNanos[0] / 1_000_000);
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                jdbc.update("UPDATE inventory_sync_run SET status = 'INTERRUPTED', last_error = ?, heartbeat_at = now() WHERE id = ?",
                        truncate(message, 2000), current.id());
                log.warn("Meter inventory {} sync run {} interrupted; the next run resumes from the stored cursor: {}",
                        current.kind(), current.id(), message);
                throw new InterruptedSyncException(current.id(), "Meter inventory " + current.kind() + " sync run "
                        + current.id() + " interrupted: " + message, e);
            }
        }
        Integer missing = null;
        if (current.kind() != Kind.DELTA) {
            missing = tx.execute(s -> flagMissing(current));
        }
        Integer distinct = jdbc.queryForObject("SELECT count(*) FROM meter_inventory WHERE last_seen_run_id = ?",
                Integer.class, current.id());
        jdbc.update("UPDATE inventory_sync_run SET status = 'COMPLETED', finished_at = now(), heartbeat_at = now(),"
                + " meters_missing = ?, last_error = NULL WHERE id = ?", missing, current.id());
        Map<String, Object> counts = jdbc.queryForMap("SELECT pages, meters_received, meters_written FROM inventory_sync_run WHERE id = ?",
                current.id());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Result result = new Result(current.id(), current.kind(), "COMPLETED", resumed, ((Number) counts.get("pages")).intValue(),
                ((Number) counts.get("meters_received")).intValue(), ((Number) counts.get("meters_written")).intValue(),
                distinct == null ? 0 : distinct, missing, millis);
        log.info("Meter inventory {} sync run {} completed: {} meters in {} pages ({} written, {} distinct{}) in {} ms",
                result.kind(), result.runId(), result.metersReceived(), result.pages(), result.metersWritten(),
                result.metersDistinct(), missing == null ? "" : ", " + missing + " missing from Leap", millis);
        return result;
    }

    /** An interrupted (or orphaned RUNNING: we hold the lock, so nobody runs it) run to resume, or null. */
    private Run resumable(Kind requested) {
        List<Run> runs = jdbc.query("SELECT id, kind, filter::text, cursor, pages, resume_count, started_at FROM inventory_sync_run"
                        + " WHERE status IN ('INTERRUPTED', 'RUNNING') ORDER BY id DESC",
                (rs, n) -> toRun(rs));
        Run resume = null;
        Instant oldest = Instant.now().minus(properties.resumeMaxAge());
        for (Run r : runs) {
            boolean tooOld = r.startedAt().isBefore(oldest);
            boolean supersededByFull = requested != Kind.DELTA && r.kind() == Kind.DELTA;
            if (resume == null && !tooOld && !supersededByFull) {
                resume = r;
            } else {
                jdbc.update("UPDATE inventory_sync_run SET status = 'SUPERSEDED', finished_at = now() WHERE id = ?", r.id());
            }
        }
        if (resume != null) {
            jdbc.update("UPDATE inventory_sync_run SET status = 'RUNNING', resume_count = resume_count + 1, heartbeat_at = now()"
                    + " WHERE id = ?", resume.id());
        }
        return resume;
    }

    private Run start(Kind requested) {
        Kind kind = requested;
        ObjectNode filter = mapper.createObjectNode();
        filter.put("page_size", properties.pageSize());
        filter.put("exclude_archived", false); // Leap's default, said explicitly: archived meters are marked, not lost
        if (kind == Kind.DELTA) {
            List<Timestamp> last = jdbc.queryForList("SELECT max(started_at) FROM inventory_sync_run WHERE status = 'COMPLETED'",
                    Timestamp.class);
            Timestamp since = last.isEmpty() ? null : last.get(0);
            if (since == null) {
                log.info("Meter inventory delta sync: no completed sync yet, running a full sync instead");
                kind = Kind.FULL;
            } else {
                Instant from = since.toInstant().minus(properties.deltaSync().safetyMargin()).truncatedTo(ChronoUnit.MILLIS);
                filter.put("last_modified_date_time", from.toString());
            }
        }
        Instant started = Instant.now();
        Long id = jdbc.queryForObject("INSERT INTO inventory_sync_run (kind, status, filter, started_at) VALUES (?, 'RUNNING', ?::jsonb, ?)"
                + " RETURNING id", Long.class, kind.name(), filter.toString(), Timestamp.from(started));
        return new Run(id, kind, filter, null, 0, 0, started);
    }

    /** Known meters a completed full walk did not return (and nobody wrote during the run): flagged, never deleted. */
    private Integer flagMissing(Run run) {
        return jdbc.queryForObject("""
                WITH missing AS (
                    UPDATE meter_inventory SET missing_since = now()
                    WHERE last_seen_run_id IS DISTINCT FROM ? AND missing_since IS NULL
                      AND (last_synced_at IS NULL OR last_synced_at < ?)
                    RETURNING meter_id),
                ev AS (
                    INSERT INTO inventory_event (event_type, meter_id, detail, source, sync_run_id)
                    SELECT 'MISSING_FROM_FULL_SYNC', meter_id, '{}'::jsonb, ?, ? FROM missing
                    RETURNING 1)
                SELECT count(*) FROM ev
                """, Integer.class, run.id(), Timestamp.from(run.startedAt()), run.kind().name(), run.id());
    }

    private Run toRun(ResultSet rs) throws SQLException {
        try {
            return new Run(rs.getLong(1), Kind.valueOf(rs.getString(2)), (ObjectNode) mapper.readTree(rs.getString(3)),
                    rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getTimestamp(7).toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("inventory_sync_run.filter is not JSON", e);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        } catch (SQLException e) {
            log.warn("Could not release the inventory sync lock (it goes with the connection): {}", e.getMessage());
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** The run summary as JSON (for routes and the log). */
    public JsonNode toJson(Result r) {
        return mapper.valueToTree(r);
    }
}
