package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One Leap meter. Identity and enrollment are typed because the search filters need them; the descriptive sections
 * (customer, device, site, caiso, isone, nyiso, utility) are kept as the JSON Leap returns, because the sandbox only
 * echoes them.
 * <p>
 * Fields are mutated only by {@link MeterStore}, which serialises writers; readers may see a slightly stale meter,
 * which is fine for a test double.
 */
public final class Meter {

    final UUID meterId;
    final Instant createdAt;
    volatile String createdBy;
    volatile Instant updatedAt;
    volatile String partnerReference;
    volatile String transmissionRegion;
    volatile String customerClassification;
    volatile List<String> loadTypes;
    volatile String meterType;
    volatile List<String> connectionReferences;
    volatile String customerGroup;
    volatile List<String> tags;
    volatile boolean archived;
    volatile ObjectNode profile;
    volatile String globalEnrollmentStatus;
    volatile List<ProgramEnrollment> programEnrollment;
    volatile List<RequiredAction> partnerActions;
    volatile List<RequiredAction> leapActions;
    volatile List<ParticipationPreference> participationPreferences;

    Meter(UUID meterId, Instant createdAt) {
        this.meterId = meterId;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public UUID meterId() { return meterId; }
    public Instant createdAt() { return createdAt; }
    public String createdBy() { return createdBy; }
    public Instant updatedAt() { return updatedAt; }
    public String partnerReference() { return partnerReference; }
    public String transmissionRegion() { return transmissionRegion; }
    public String customerClassification() { return customerClassification; }
    public List<String> loadTypes() { return loadTypes; }
    public String meterType() { return meterType; }
    public List<String> connectionReferences() { return connectionReferences; }
    public String customerGroup() { return customerGroup; }
    public List<String> tags() { return tags; }
    public boolean archived() { return archived; }
    public ObjectNode profile() { return profile; }
    public String globalEnrollmentStatus() { return globalEnrollmentStatus; }
    public List<ProgramEnrollment> programEnrollment() { return programEnrollment; }
    public List<RequiredAction> partnerActions() { return partnerActions; }
    public List<RequiredAction> leapActions() { return leapActions; }
    public List<ParticipationPreference> participationPreferences() { return participationPreferences; }

    MeterSortKey sortKey() {
        return new MeterSortKey(createdAt, meterId);
    }

    public boolean isInMarketGroup(UUID marketGroupId) {
        return programEnrollment.stream().anyMatch(p -> marketGroupId.equals(p.marketGroupId()));
    }
}
