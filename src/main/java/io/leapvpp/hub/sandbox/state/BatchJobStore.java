package io.leapvpp.hub.sandbox.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

public final class BatchJobStore {

    private final Map<UUID, BatchJob> jobs = new LinkedHashMap<>();

    public synchronized void clear() {
        jobs.clear();
    }

    public synchronized void put(BatchJob job) {
        jobs.put(job.jobId(), job);
    }

    public synchronized Optional<BatchJob> find(UUID jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Oldest first, which is the order the jobs were submitted in and never changes. */
    public synchronized List<BatchJob> all() {
        return new ArrayList<>(jobs.values());
    }
}
