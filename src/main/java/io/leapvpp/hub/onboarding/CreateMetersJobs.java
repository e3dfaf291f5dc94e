package io.leapvpp.hub.onboarding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.leap.LeapApiException;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.leap.LeapErrorDetail;
import io.leapvpp.hub.leap.LeapOutcomeUnknownException;
import io.leapvpp.hub.leap.MeterBatchJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Create Meters (GUIDE §3.3): the rows of {@code partner_enrollment} to Leap's create-meters batch jobs and Leap's
 * answer back to each row. The route (routes/46-create-meters.camel.yaml) calls the stages in this order each run:
 * <ol>
 *   <li>{@link #checkUnknownSubmissions}: jobs whose POST's answer was lost are looked up in Leap's job list by their
 *       {@code file_name} and adopted, and posted again only when Leap does not list them after a grace period;</li>
 *   <li>{@link #checkRows}: rows whose CreateMeter columns changed are checked against Leap's rules
 *       ({@link CreateMetersFields}); a row that breaks one is INVALID and never sent; a valid row whose content
 *       (hash) differs from what was last sent becomes PENDING;</li>
 *   <li>{@link #submitPending}: PENDING rows in chunks of {@code chunk-size}, new meters and updates of meters Leap
 *       already has ({@code update_existing=true}) in separate jobs; each job's marker (file_name, body, rows) is
 *       committed before it is POSTed;</li>
 *   <li>{@link #pollJobs}: jobs Leap is processing are polled until they end, then every asset's meter_id, status
 *       and status detail are written back to its row.</li>
 * </ol>
 * Each stage holds a PostgreSQL advisory lock, so hubs sharing the database never run the same stage at once. Leap
 * failures never escape a stage: they are stored on the job ({@code last_error}) and the next run carries on.
 */
public class CreateMetersJobs {

    private static final Logger log = LoggerFactory.getLogger(CreateMetersJobs.class);
    /** Advisory lock: one Create Meters stage at a time per database. */
    static final long LOCK_KEY = 0x1EA9_C4EA_7E01L;
    static final String HUB_VALIDATION = "HUB_VALIDATION";

    private final LeapClient leap;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final CreateMetersFields fields;
    private final CreateMetersProperties properties;
    private final ObjectMapper mapper;

    public CreateMetersJobs(LeapClient leap, JdbcTemplate jdbc, TransactionTemplate tx, CreateMetersFields fields,
                            CreateMetersProperties properties, ObjectMapper mapper) {
        this.leap = leap;
        this.jdbc = jdbc;
        this.dataSource = jdbc.getDataSource();
        this.tx = tx;
        this.fields = fields;
        this.properties = properties;
        this.mapper = mapper;
    }

    /** A job row as the stages need it. */
    record Job(long id, String fileName, boolean updateExisting, String requestBody, int postAttempts, Instant lastPostAt,
               String leapJobId) {
    }

    // ------------------------------------------------------------------ stage 1: answers that were lost

    /** SUBMITTING jobs: adopted when Leap lists them, posted again when it still does not after the grace period. */
    public int checkUnknownSubmissions() {
        return locked("check unknown submissions", () -> {
            int resolved = 0;
            for (Job job : jobs("status = 'SUBMITTING'")) {
                Boolean done = resolveSubmitting(job);
                if (done == null) {
                    break; // Leap cannot be asked now; the next run carries on
                }
                if (done) {
                    resolved++;
                }
            }
            return resolved;
        });
    }

    /** True: the job is at Leap now; false: still unknown (waiting for the grace period); null: Leap unreachable. */
    private Boolean resolveSubmitting(Job job) {
        List<MeterBatchJob> found;
        try {
            found = leap.findMeterBatchJobsByFileName(job.fileName());
        } catch (LeapApiException e) {
            recordError(job.id(), "listing Leap's jobs to find " + job.fileName() + ": " + e.getMessage());
            log.warn("Create meters: job {} ({}): Leap's job list is unavailable ({}); checked again next run", job.id(),
                    job.fileName(), e.getMessage());
            return null;
        }
        if (!found.isEmpty()) {
            adopt(job, found);
            return true;
        }
        Instant now = Instant.now();
        if (job.postAttempts() > 0 && job.lastPostAt() != null
                && job.lastPostAt().plus(properties.unknownOutcomeGrace()).isAfter(now)) {
            log.info("Create meters: job {} ({}) not in Leap's job list yet; waiting until {} before posting it again",
                    job.id(), job.fileName(), job.lastPostAt().plus(properties.unknownOutcomeGrace()));
            return false;
        }
        log.warn("Create meters: job {} ({}) is not in Leap's job list {}; posting it (attempt {})", job.id(), job.fileName(),
                job.postAttempts() == 0 ? "and was never posted (the hub stopped first)"
                        : properties.unknownOutcomeGrace() + " after its last POST", job.postAttempts() + 1);
        return post(job) ? Boolean.TRUE : null;
    }

    private void adopt(Job job, List<MeterBatchJob> found) {
        if (found.size() > 1) {
            log.error("Create meters: Leap lists {} jobs named {} (hub job {}); following the first, {}", found.size(),
                    job.fileName(), job.id(), found.get(0).jobId());
        }
        log.info("Create meters: job {} ({}) found in Leap's job list as {}; not posted again", job.id(), job.fileName(),
                found.get(0).jobId());
        accepted(job, found.get(0).jobId(), true);
    }

    // ------------------------------------------------------------------ stage 2: rows against Leap's rules

    /** Rows changed since the hub last looked (content_version > checked_version) and not in flight. */
    public int checkRows() {
        return locked("check rows", () -> tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    SELECT * FROM partner_enrollment
                     WHERE content_version > checked_version AND status NOT IN ('SUBMITTING', 'SUBMITTED')
                     ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""", properties.maxRowsPerRun());
            int pending = 0;
            int invalid = 0;
            for (Map<String, Object> row : rows) {
                long id = ((Number) row.get("id")).longValue();
                long version = ((Number) row.get("content_version")).longValue();
                ObjectNode asset = fields.toCreateMeter(row);
                String hash = fields.hash(asset);
                List<CreateMetersFields.Problem> problems = fields.validate(asset);
                String current = (String) row.get("status");
                if (!problems.isEmpty()) {
                    invalid++;
                    if ("INVALID".equals(current) && hash.equals(row.get("checked_hash"))) {
                        jdbc.update("UPDATE partner_enrollment SET checked_version = ? WHERE id = ?", version, id);
                        continue;
                    }
                    ObjectNode failed = mapper.createObjectNode();
                    problems.forEach(p -> failed.put(p.path(), p.message()));
                    jdbc.update("""
                            UPDATE partner_enrollment
                               SET status = 'INVALID', leap_status = NULL, status_detail_name = ?, status_detail_description = ?,
                                   status_detail_failed_fields = CAST(? AS jsonb), checked_version = ?, checked_hash = ?,
                                   result_at = now(), reported_at = NULL
                             WHERE id = ?""", HUB_VALIDATION, "Not sent to Leap: " + problems.stream()
                                    .map(p -> CreateMetersFields.describe(p.path()) + " " + p.message())
                                    .collect(Collectors.joining("; ")),
                            failed.toString(), version, hash, id);
                    log.info("Create meters: {} not sent to Leap, it breaks Leap's rules: {}", row.get("partner_reference"), problems);
                } else if (hash.equals(row.get("submitted_hash")) && !"INVALID".equals(current) && !"PENDING".equals(current)) {
                    // changed and changed back, or a change that does not reach Leap's JSON: nothing to send
                    jdbc.update("UPDATE partner_enrollment SET checked_version = ?, checked_hash = ? WHERE id = ?", version, hash, id);
                } else {
                    pending++;
                    jdbc.update("""
                            UPDATE partner_enrollment
                               SET status = 'PENDING', leap_status = NULL, status_detail_name = NULL, status_detail_description = NULL,
                                   status_detail_failed_fields = NULL, checked_version = ?, checked_hash = ?, reported_at = NULL
                             WHERE id = ?""", version, hash, id);
                }
            }
            if (!rows.isEmpty()) {
                log.info("Create meters: {} changed row(s) checked: {} to send, {} breaking Leap's rules", rows.size(), pending, invalid);
            }
            return rows.size();
        }));
    }

    // ------------------------------------------------------------------ stage 3: PENDING rows to jobs

    /** Sends PENDING rows in jobs of chunk-size; stops at the first job whose outcome is unknown. */
    public int submitPending() {
        return locked("submit", () -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT * FROM partner_enrollment WHERE status = 'PENDING' ORDER BY id LIMIT ?", properties.maxRowsPerRun());
            // a meter Leap already has is updated (update_existing=true); a new one must not overwrite someone else's
            Map<Boolean, List<Map<String, Object>>> byUpdate = rows.stream()
                    .collect(Collectors.partitioningBy(r -> r.get("meter_id") != null));
            int jobs = 0;
            for (boolean update : new boolean[]{false, true}) {
                List<Map<String, Object>> list = byUpdate.get(update);
                for (int from = 0; from < list.size(); from += properties.chunkSize()) {
                    Job job = createJob(list.subList(from, Math.min(list.size(), from + properties.chunkSize())), update);
                    if (job == null) {
                        continue;
                    }
                    jobs++;
                    if (!post(job)) {
                        return jobs;
                    }
                }
            }
            return jobs;
        });
    }

    /** Commits the job's marker (file_name, body, rows) and its rows as SUBMITTING; null when no row is left to send. */
    private Job createJob(List<Map<String, Object>> rows, boolean updateExisting) {
        String fileName = "leap-vpp-hub-" + UUID.randomUUID() + ".json";
        return tx.execute(status -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode assets = body.putArray("assets");
            List<Object[]> items = new ArrayList<>();
            List<String> references = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                ObjectNode asset = fields.toCreateMeter(row);
                if (!fields.validate(asset).isEmpty()) {
                    continue; // changed since it was checked; the next check marks it
                }
                String reference = (String) row.get("partner_reference");
                items.add(new Object[]{((Number) row.get("id")).longValue(), reference, fields.hash(asset)});
                references.add(reference);
                assets.add(asset);
            }
            if (items.isEmpty()) {
                return null;
            }
            Long jobId = jdbc.queryForObject("""
                    INSERT INTO create_meters_job (file_name, update_existing, request_body, asset_count, partner_references)
                    VALUES (?, ?, CAST(? AS jsonb), ?, ?) RETURNING id""", Long.class,
                    fileName, updateExisting, body.toString(), items.size(), references.toArray(String[]::new));
            for (int i = 0; i < items.size(); i++) {
                Object[] item = items.get(i);
                jdbc.update("""
                        INSERT INTO create_meters_job_item (job_id, json_index, enrollment_id, partner_reference, content_hash)
                        VALUES (?, ?, ?, ?, ?)""", jobId, i, item[0], item[1], item[2]);
                jdbc.update("""
                        UPDATE partner_enrollment
                           SET status = 'SUBMITTING', job_id = ?, leap_job_id = NULL, submitted_hash = ?, submitted_at = now(),
                               submitted_update_existing = ?
                         WHERE id = ?""", jobId, item[2], updateExisting, item[0]);
            }
            return new Job(jobId, fileName, updateExisting, body.toString(), 0, null, null);
        });
    }

    /**
     * One POST of a job whose marker is committed. True: Leap has the job (its id is stored) or refused it for good;
     * false: the outcome is unknown or Leap is unreachable, so no further job should be posted now.
     */
    private boolean post(Job job) {
        jdbc.update("UPDATE create_meters_job SET post_attempts = post_attempts + 1, last_post_at = now() WHERE id = ?", job.id());
        JsonNode body;
        try {
            body = mapper.readTree(job.requestBody());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("create_meters_job " + job.id() + " holds no JSON body", e);
        }
        try {
            JsonNode answer = leap.createMeterBatchJob(body, job.updateExisting(), job.fileName());
            String leapJobId = answer == null ? null : answer.path("job_id").asText(null);
            if (leapJobId == null || leapJobId.isBlank()) {
                recordError(job.id(), "Leap answered without a job_id: " + answer);
                return lookUpAfterLostAnswer(job);
            }
            accepted(job, leapJobId, false);
            return true;
        } catch (LeapOutcomeUnknownException e) {
            recordError(job.id(), e.getMessage());
            log.warn("Create meters: POST of job {} ({}, {} asset(s)) has an unknown outcome ({}); looking it up in Leap's job"
                    + " list before anything is posted again", job.id(), job.fileName(), jobSize(job), e.getMessage());
            return lookUpAfterLostAnswer(job);
        } catch (LeapApiException e) {
            if (e.status() == 400) {
                rejected(job, e);
                return true;
            }
            recordError(job.id(), e.getMessage());
            if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
                // 401/403/404/415: nothing was created and repeating will not help until configuration changes
                refusedForNow(job, e);
            } else {
                log.warn("Create meters: job {} ({}) could not be posted ({}); tried again next run", job.id(), job.fileName(),
                        e.getMessage());
            }
            return false;
        }
    }

    private boolean lookUpAfterLostAnswer(Job job) {
        try {
            List<MeterBatchJob> found = leap.findMeterBatchJobsByFileName(job.fileName());
            if (!found.isEmpty()) {
                adopt(job, found);
                return true;
            }
            log.info("Create meters: job {} ({}) not in Leap's job list yet; it stays SUBMITTING and is looked up again"
                    + " before any new POST", job.id(), job.fileName());
        } catch (LeapApiException e) {
            recordError(job.id(), "listing Leap's jobs to find " + job.fileName() + ": " + e.getMessage());
        }
        return false;
    }

    private void accepted(Job job, String leapJobId, boolean foundByLookup) {
        tx.executeWithoutResult(status -> {
            jdbc.update("""
                    UPDATE create_meters_job
                       SET status = 'SUBMITTED', leap_job_id = CAST(? AS uuid), leap_status = 'PROCESSING', accepted_at = now(),
                           found_by_lookup = ?, next_poll_at = now()
                     WHERE id = ? AND status = 'SUBMITTING'""", leapJobId, foundByLookup, job.id());
            jdbc.update("""
                    UPDATE partner_enrollment SET status = 'SUBMITTED', leap_job_id = CAST(? AS uuid), leap_status = 'PROCESSING'
                     WHERE job_id = ? AND status = 'SUBMITTING'""", leapJobId, job.id());
        });
        log.info("Create meters: job {} ({} asset(s), update_existing={}) is Leap job {}", job.id(), jobSize(job),
                job.updateExisting(), leapJobId);
    }

    /** Leap's 400: no job was created. The rows it names failed; the others go out again with the next run. */
    private void rejected(Job job, LeapApiException e) {
        Map<Integer, List<LeapErrorDetail>> byIndex = new HashMap<>();
        for (LeapErrorDetail d : e.error().details()) {
            if (d.jsonIndex() != null) {
                byIndex.computeIfAbsent(d.jsonIndex(), i -> new ArrayList<>()).add(d);
            }
        }
        tx.executeWithoutResult(status -> {
            List<Map<String, Object>> items = jdbc.queryForList(
                    "SELECT json_index, enrollment_id FROM create_meters_job_item WHERE job_id = ? ORDER BY json_index", job.id());
            for (Map<String, Object> item : items) {
                int index = ((Number) item.get("json_index")).intValue();
                long enrollment = ((Number) item.get("enrollment_id")).longValue();
                List<LeapErrorDetail> details = byIndex.isEmpty() ? e.error().details() : byIndex.get(index);
                if (details != null) {
                    ObjectNode failed = mapper.createObjectNode();
                    details.stream().filter(d -> d.field() != null).forEach(d -> failed.put(d.field(), d.message()));
                    String description = "Leap refused the job (HTTP 400): " + (details.isEmpty() ? e.error().message()
                            : details.stream().map(LeapErrorDetail::summary).collect(Collectors.joining("; ")));
                    jdbc.update("""
                            UPDATE partner_enrollment
                               SET status = 'FAILED', leap_status = 'REJECTED', status_detail_name = 'VALIDATION_ERROR',
                                   status_detail_description = ?, status_detail_failed_fields = CAST(? AS jsonb),
                                   result_at = now(), reported_at = NULL
                             WHERE id = ? AND job_id = ?""", description, failed.toString(), enrollment, job.id());
                } else {
                    jdbc.update("""
                            UPDATE partner_enrollment SET status = 'PENDING', submitted_hash = NULL
                             WHERE id = ? AND job_id = ?""", enrollment, job.id());
                }
            }
            jdbc.update("""
                    UPDATE create_meters_job SET status = 'REJECTED', last_error = ?, finished_at = now() WHERE id = ?""",
                    e.getMessage(), job.id());
        });
        log.warn("Create meters: Leap refused job {} ({}): {}", job.id(), job.fileName(), e.getMessage());
    }

    /** A 4xx other than 400: no job; its rows wait (PENDING) for the next run, after operations fixed the cause. */
    private void refusedForNow(Job job, LeapApiException e) {
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE partner_enrollment SET status = 'PENDING', submitted_hash = NULL WHERE job_id = ? AND status = 'SUBMITTING'",
                    job.id());
            jdbc.update("UPDATE create_meters_job SET status = 'REJECTED', finished_at = now() WHERE id = ?", job.id());
        });
        log.error("Create meters: Leap refused job {} with HTTP {} ({}); its rows are sent again next run. Check the Leap API"
                + " key and its permissions (hub.leap.api-key)", job.id(), e.status(), e.getMessage());
    }

    // ------------------------------------------------------------------ stage 4: polling and write-back

    /** Polls each job Leap is processing (at most once per poll-interval); writes the results of those that ended. */
    public int pollJobs() {
        return locked("poll", () -> {
            int ended = 0;
            for (Job job : jobs("status = 'SUBMITTED' AND (next_poll_at IS NULL OR next_poll_at <= now())")) {
                MeterBatchJob result;
                try {
                    result = leap.getMeterBatchJobRecord(job.leapJobId());
                } catch (LeapApiException e) {
                    jdbc.update("""
                            UPDATE create_meters_job
                               SET poll_failures = poll_failures + 1, last_error = ?, last_polled_at = now(),
                                   next_poll_at = now() + CAST(? AS interval)
                             WHERE id = ?""", e.getMessage(), interval(), job.id());
                    log.warn("Create meters: polling Leap job {} (hub job {}) failed ({}); polled again in {}", job.leapJobId(),
                            job.id(), e.getMessage(), properties.pollInterval());
                    continue;
                }
                if (result == null || !result.status().terminal()) {
                    jdbc.update("""
                            UPDATE create_meters_job SET leap_status = ?, last_polled_at = now(), next_poll_at = now() + CAST(? AS interval)
                             WHERE id = ?""", result == null ? null : result.status().name(), interval(), job.id());
                    continue;
                }
                writeResults(job, result);
                ended++;
            }
            return ended;
        });
    }

    private void writeResults(Job job, MeterBatchJob result) {
        Map<String, MeterBatchJob.Asset> byReference = new HashMap<>();
        for (MeterBatchJob.Asset a : result.assets()) {
            byReference.putIfAbsent(a.partnerReference(), a);
        }
        int[] counts = new int[2];
        tx.executeWithoutResult(status -> {
            List<Map<String, Object>> items = jdbc.queryForList(
                    "SELECT enrollment_id, partner_reference FROM create_meters_job_item WHERE job_id = ? ORDER BY json_index", job.id());
            for (Map<String, Object> item : items) {
                long enrollment = ((Number) item.get("enrollment_id")).longValue();
                MeterBatchJob.Asset asset = byReference.get((String) item.get("partner_reference"));
                if (asset != null && asset.completed()) {
                    counts[0]++;
                    MeterBatchJob.StatusDetail d = asset.statusDetail();
                    jdbc.update("""
                            UPDATE partner_enrollment
                               SET status = 'COMPLETED', leap_status = ?, meter_id = CAST(? AS uuid), status_detail_name = ?,
                                   status_detail_description = ?, status_detail_failed_fields = NULL, result_at = now()
                             WHERE id = ? AND job_id = ?""", asset.status(), asset.meterId(), d == null ? null : d.name(),
                            d == null ? null : d.description(), enrollment, job.id());
                } else {
                    counts[1]++;
                    String leapStatus = asset == null ? result.status().name() : asset.status();
                    MeterBatchJob.StatusDetail d = asset == null ? null : asset.statusDetail();
                    String name = d != null && d.name() != null ? d.name() : "NO_RESULT";
                    String description = d != null && d.description() != null ? d.description()
                            : "Leap's job " + job.leapJobId() + " ended " + result.status() + " without a result for this asset";
                    jdbc.update("""
                            UPDATE partner_enrollment
                               SET status = 'FAILED', leap_status = ?, status_detail_name = ?, status_detail_description = ?,
                                   status_detail_failed_fields = CAST(? AS jsonb), result_at = now(), reported_at = NULL
                             WHERE id = ? AND job_id = ?""", leapStatus, name, description,
                            d == null || d.failedFields() == null ? null : json(d.failedFields()), enrollment, job.id());
                }
            }
            jdbc.update("""
                    UPDATE create_meters_job
                       SET status = ?, leap_status = ?, assets_created = ?, assets_updated = ?, assets_failed = ?,
                           last_polled_at = now(), finished_at = now(), next_poll_at = NULL
                     WHERE id = ?""", result.status().name(), result.status().name(), result.assetsCreatedCount(),
                    result.assetsUpdatedCount(), result.assetsFailedCount(), job.id());
        });
        log.info("Create meters: Leap job {} (hub job {}) ended {}: {} meter(s) created or updated, {} failed", job.leapJobId(),
                job.id(), result.status(), counts[0], counts[1]);
    }

    // ------------------------------------------------------------------ helpers

    private List<Job> jobs(String where) {
        return jdbc.query("SELECT id, file_name, update_existing, request_body::text AS body, post_attempts, last_post_at,"
                        + " leap_job_id::text AS leap_job_id FROM create_meters_job WHERE " + where + " ORDER BY id",
                (rs, i) -> new Job(rs.getLong("id"), rs.getString("file_name"), rs.getBoolean("update_existing"),
                        rs.getString("body"), rs.getInt("post_attempts"), instant(rs, "last_post_at"), rs.getString("leap_job_id")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private void recordError(long jobId, String message) {
        jdbc.update("UPDATE create_meters_job SET last_error = ? WHERE id = ?", CsvInbox.cut(message, 2000), jobId);
    }

    private String interval() {
        return properties.pollInterval().toMillis() + " milliseconds";
    }

    private int jobSize(Job job) {
        try {
            return mapper.readTree(job.requestBody()).path("assets").size();
        } catch (JsonProcessingException e) {
            return -1;
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a stage under the advisory lock; another hub holding it means this stage is skipped this time. */
    private int locked(String stage, IntSupplier work) {
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                log.debug("Create meters: {} skipped, another hub is running a stage", stage);
                return 0;
            }
            try {
                return work.getAsInt();
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Create meters " + stage + ": database unavailable: " + e.getMessage(), e);
        }
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
