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
 * Runs create-meters jobs: PROCESSING for the (scaled) job delay, then per-asset outcomes with Leap's status_detail
 * names: METER_CREATED / METER_UPDATED, DUPLICATE_REF_ID (the reference exists and update_existing is false, or it
 * appears twice in the job), DUPLICATE_METER (another meter has the utility account or meter serial number), and the
 * business failures of {@link AssetRules} (address, region, utility, zip code) for schema-valid bodies.
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
                        "The partner reference appears more than once in this upload.", null, now, null));
                continue;
            }
            AssetResult rejected = AssetRules.check(asset, ref, now);
            if (rejected != null) {
                out.add(rejected);
                continue;
            }
            Optional<Meter> existing = meters.findByPartnerReference(ref);
            if (existing.isPresent() && !updateExisting) {
                out.add(new AssetResult(ref, "DUPLICATE", "DUPLICATE_REF_ID", "Partner reference ID found on meter ID "
                        + existing.get().meterId() + ". A unique reference ID is required.", null, now, null));
                continue;
            }
            Optional<AssetResult> sameMeter = duplicateMeter(asset, ref, existing.orElse(null), now);
            if (sameMeter.isPresent()) {
                out.add(sameMeter.get());
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

    /** Another meter (another partner reference) already has this utility account or utility meter serial number. */
    private Optional<AssetResult> duplicateMeter(ObjectNode asset, String ref, Meter self, Instant now) {
        for (String field : List.of("electric_service_account_number", "utility_meter_serial_number")) {
            String value = asset.path("utility").path(field).asText("");
            if (value.isBlank()) continue;
            for (Meter m : meters.all()) {
                if (m == self || ref.equals(m.partnerReference())) continue;
                if (value.equals(m.profile() == null ? null : m.profile().path("utility").path(field).asText(null))) {
                    return Optional.of(new AssetResult(ref, "DUPLICATE", "DUPLICATE_METER", "A meter with this utility."
                            + field + " already exists (meter ID " + m.meterId() + ", partner reference "
                            + m.partnerReference() + ").", Map.of("utility." + field, "already used by meter " + m.meterId()),
                            now, null));
                }
            }
        }
        return Optional.empty();
    }
}
