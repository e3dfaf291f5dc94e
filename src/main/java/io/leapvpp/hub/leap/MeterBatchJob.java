package io.leapvpp.hub.leap;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A create-meters batch job ({@code getMeterBatchJob}, or an item of {@code listMeterBatchJobs} without assets); read
 * with the client's lenient, snake_case mapper. Unknown statuses map to {@link Status#UNKNOWN}.
 */
public record MeterBatchJob(String jobId, Status status, String fileName, Integer assetsCount,
                            Integer assetsCreatedCount, Integer assetsUpdatedCount, Integer assetsFailedCount,
                            List<String> transmissionRegions, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                            List<Asset> assets) {

    public MeterBatchJob {
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    public enum Status {
        PROCESSING, FAILED, COMPLETED, COMPLETED_WITH_ERRORS,
        @JsonEnumDefaultValue UNKNOWN;

        public boolean terminal() {
            return this == FAILED || this == COMPLETED || this == COMPLETED_WITH_ERRORS;
        }
    }

    /**
     * One asset's result ({@code AssetUploadStatus}). {@code status} is kept as Leap's text (PROCESSING, FAILED,
     * DUPLICATE, COMPLETED, MULTIPLE_PARTNER_REFERENCE, or a newer one); {@code meterId} is set when COMPLETED.
     */
    public record Asset(String partnerReference, String status, StatusDetail statusDetail, OffsetDateTime createdAt,
                        String meterId) {

        public boolean completed() {
            return "COMPLETED".equals(status);
        }
    }

    /** {@code status_detail}: {@code name} from Leap's list (METER_CREATED, DUPLICATE_REF_ID, ...), text, failed fields. */
    public record StatusDetail(String name, String description, Map<String, Object> failedFields) {
    }
}
