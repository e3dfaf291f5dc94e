package io.leapvpp.hub.inventory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Meter inventory settings ({@code hub.inventory.*}); the schedules themselves are read by the route files
 * ({@code routes/30-inventory-sync.camel.yaml}).
 *
 * @param pageSize      searchMeterEnrollments page size (1-500); also the unit of one database transaction
 * @param deltaSync     the 15-minute delta sync
 * @param fullSync      the nightly full sync
 * @param initialLoad   full load at start when meter_inventory is empty
 * @param resumeMaxAge  an interrupted run older than this is not resumed (a new one starts)
 */
@ConfigurationProperties("hub.inventory")
public record InventoryProperties(
        @DefaultValue("500") int pageSize,
        @DefaultValue DeltaSync deltaSync,
        @DefaultValue FullSync fullSync,
        @DefaultValue InitialLoad initialLoad,
        @DefaultValue("PT24H") Duration resumeMaxAge) {

    public InventoryProperties {
        if (pageSize < 1 || pageSize > 500) {
            throw new IllegalArgumentException("hub.inventory.page-size must be 1..500 (Leap's limit), was " + pageSize);
        }
        deltaSync = deltaSync != null ? deltaSync : new DeltaSync(true, "0 0/15 * * * ?", Duration.ofMinutes(5));
        fullSync = fullSync != null ? fullSync : new FullSync(true, "0 30 2 * * ?");
        initialLoad = initialLoad != null ? initialLoad : new InitialLoad(true);
        resumeMaxAge = resumeMaxAge != null ? resumeMaxAge : Duration.ofHours(24);
    }

    public static InventoryProperties defaults() {
        return new InventoryProperties(500, null, null, null, null);
    }

    public InventoryProperties withPageSize(int size) {
        return new InventoryProperties(size, deltaSync, fullSync, initialLoad, resumeMaxAge);
    }

    /** @param safetyMargin subtracted from the last successful sync's start for last_modified_date_time */
    public record DeltaSync(@DefaultValue("true") boolean enabled, @DefaultValue("0 0/15 * * * ?") String cron,
                            @DefaultValue("PT5M") Duration safetyMargin) {
        public DeltaSync {
            safetyMargin = safetyMargin != null ? safetyMargin : Duration.ofMinutes(5);
        }
    }

    public record FullSync(@DefaultValue("true") boolean enabled, @DefaultValue("0 30 2 * * ?") String cron) {
    }

    public record InitialLoad(@DefaultValue("true") boolean enabled) {
    }
}
