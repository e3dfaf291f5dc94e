package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A create-meters batch job and the per-asset results Leap reports when polling it. */
public final class BatchJob {

    /** One asset's outcome; {@code failedFields} maps field → reason for VALIDATION-like failures. */
    public record AssetResult(String partnerReference, String status, String statusName, String statusDescription,
                              java.util.Map<String, String> failedFields, Instant createdAt, UUID meterId) {
        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("partner_reference", partnerReference);
            o.put("status", status);
            ObjectNode detail = o.putObject("status_detail");
            Json.putIfPresent(detail, "name", statusName);
            Json.putIfPresent(detail, "description", statusDescription);
            if (failedFields != null && !failedFields.isEmpty()) {
                ObjectNode ff = detail.putObject("failed_fields");
                failedFields.forEach(ff::put);
            }
            Json.putIfPresent(o, "created_at", createdAt);
            if (meterId != null) o.put("meter_id", meterId.toString());
            return o;
        }
    }

    private final UUID jobId;
    private final String fileName;
    private final boolean updateExisting;
    private final Instant createdAt;
    private final List<ObjectNode> submitted;
    private volatile String status = "PROCESSING";
    private volatile Instant updatedAt;
    private volatile List<AssetResult> results;

    public BatchJob(UUID jobId, String fileName, boolean updateExisting, List<ObjectNode> submitted) {
        this.jobId = jobId;
        this.fileName = fileName != null ? fileName : jobId + ".json";
        this.updateExisting = updateExisting;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
        this.submitted = List.copyOf(submitted);
        List<AssetResult> pending = new ArrayList<>();
        for (ObjectNode a : submitted) {
            pending.add(new AssetResult(a.path("partner_reference").asText(), "PROCESSING", null, null, null, null, null));
        }
        this.results = pending;
    }

    public UUID jobId() { return jobId; }
    public String fileName() { return fileName; }
    public String status() { return status; }
    public Instant createdAt() { return createdAt; }
    public boolean updateExisting() { return updateExisting; }
    public List<ObjectNode> submitted() { return submitted; }
    public List<AssetResult> results() { return results; }

    public synchronized void complete(List<AssetResult> outcome) {
        this.results = List.copyOf(outcome);
        boolean anyFailed = outcome.stream().anyMatch(r -> !"COMPLETED".equals(r.status()));
        this.status = anyFailed ? "COMPLETED_WITH_ERRORS" : "COMPLETED";
        this.updatedAt = Instant.now();
    }

    public ObjectNode toJson(boolean withAssets) {
        ObjectNode o = Json.object();
        o.put("job_id", jobId.toString());
        o.put("status", status);
        o.put("file_name", fileName);
        List<AssetResult> rs = results;
        o.put("assets_count", rs.size());
        o.put("assets_created_count", rs.stream().filter(r -> "METER_CREATED".equals(r.statusName())).count());
        o.put("assets_updated_count", rs.stream().filter(r -> "METER_UPDATED".equals(r.statusName())).count());
        o.put("assets_failed_count", rs.stream().filter(r -> r.statusName() != null && !"COMPLETED".equals(r.status())).count());
        Set<String> regions = new LinkedHashSet<>();
        submitted.forEach(a -> regions.add(a.path("transmission_region").asText()));
        o.set("transmission_regions", Json.strings(regions));
        o.put("created_at", createdAt.toString());
        o.put("updated_at", updatedAt.toString());
        if (withAssets) {
            ArrayNode assets = o.putArray("assets");
            rs.forEach(r -> assets.add(r.toJson()));
        }
        return o;
    }
}
