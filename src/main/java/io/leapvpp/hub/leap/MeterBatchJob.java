package io.leapvpp.hub.leap;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A create-meters batch job ({@code getMeterBatchJob}); read with the client's lenient, snake_case mapper.
 * Unknown statuses map to {@link Status#UNKNOWN}.
 */
public record MeterBatchJob(String jobId, Status status, String fileName, Integer assetsCount,
                            Integer assetsCreatedCount, Integer assetsUpdatedCount, Integer assetsFailedCount,
                            List<String> transmissionRegions, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public enum Status {
        PROCESSING, FAILED, COMPLETED, COMPLETED_WITH_ERRORS,
        @JsonEnumDefaultValue UNKNOWN;

        public boolean terminal() {
            return this == FAILED || this == COMPLETED || this == COMPLETED_WITH_ERRORS;
        }
    }
}
