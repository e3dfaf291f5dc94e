package io.leapvpp.hub.sandbox.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.state.BatchJob;
import io.leapvpp.hub.sandbox.state.BatchJob.AssetResult;
import io.leapvpp.hub.sandbox.state.BatchJobStore;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs create-meters jobs: PROCESSING for the (scaled) job delay, then per-asset outcomes. Postal codes starting with
 * "000" are rejected with UNSUPPORTED_ZIP_CODE so tests can provoke a business failure with a schema-valid body.
 */
public final class MeterJobs {

    private final SandboxSettings settings;
    private final ScheduledExecutorService scheduler;
    private final BatchJobStore jobs;
    private final MeterStore meters;
    private final PlatformEvents events;

    MeterJobs(SandboxSettings settings, ScheduledExecutorService scheduler, BatchJobStore jobs, MeterStore meters, PlatformEvents events) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.meters = meters;
        this.events = events;
    }

    public BatchJob submit(List<ObjectNode> assets, boolean updateExisting, String fileName) {
        UUID jobId = UUID.randomUUID();
        BatchJob job = new BatchJob(jobId, fileName != null ? fileName : jobId + ".json", updateExisting, assets);
        jobs.put(job);
        try {
            scheduler.schedule(() -> process(job), settings.scaled(settings.batchJobDelay()).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // sandbox stopping
        }
        return job;
    }

    /** The synchronous single-meter variant: processed at once, reported as the asset's result. */
    public AssetResult createNow(ObjectNode asset, boolean updateExisting) {
        return processAll(List.of(asset), updateExisting).get(0);
    }

    private void process(BatchJob job) {
        job.complete(processAll(job.submitted(), job.updateExisting()));
    }

    private List<AssetResult> processAll(List<ObjectNode> assets, boolean updateExisting) {
        List<AssetResult> out = new ArrayList<>();
        Set<String> seenInJob = new HashSet<>();
        for (ObjectNode asset : assets) {
            String ref = asset.path("partner_reference").asText();
            Instant now = Instant.now();
            if (!seenInJob.add(ref)) {
                out.add(new AssetResult(ref, "MULTIPLE_PARTNER_REFERENCE", "DUPLICATE_REF_ID",
                        "The partner reference appears more than once in this job.", null, now, null));
                continue;
            }
            String postal = asset.path("customer").path("postal_code").asText("");
            if (postal.startsWith("000")) {
                out.add(new AssetResult(ref, "FAILED", "UNSUPPORTED_ZIP_CODE", "The zip code is not supported.",
                        Map.of("customer.postal_code", "unsupported zip code"), now, null));
                continue;
            }
            Optional<Meter> existing = meters.findByPartnerReference(ref);
            if (existing.isPresent() && !updateExisting) {
                out.add(new AssetResult(ref, "DUPLICATE", "DUPLICATE_REF_ID",
                        "A meter with this partner reference already exists.", null, now, existing.get().meterId()));
            } else if (existing.isPresent()) {
                Meter m = meters.overwrite(existing.get(), asset);
                out.add(new AssetResult(ref, "COMPLETED", "METER_UPDATED", "The existing meter was updated.", null, now, m.meterId()));
            } else {
                Meter m = meters.create(asset, "PARTNER");
                out.add(new AssetResult(ref, "COMPLETED", "METER_CREATED", "A new meter was created.", null, m.createdAt(), m.meterId()));
                events.meterCreated(m);
            }
        }
        return out;
    }
}
