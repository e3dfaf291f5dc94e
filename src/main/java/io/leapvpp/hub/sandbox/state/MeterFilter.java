package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Leap's {@code MeterFilterRequest}, parsed and validated against the limits published in the spec. */
public final class MeterFilter {

    public MeterSortKey after;
    public int pageSize = 500;
    String transmissionRegion;
    String customerClassification;
    Set<UUID> meterIds;
    Set<String> partnerReferences;
    Set<String> globalEnrollmentStatuses;
    Set<String> meterTypes;
    Set<String> loadTypes;
    Set<String> customerGroups;
    Set<String> tags;
    Instant lastModifiedAfter;
    Instant createdAfter;
    Instant createdBefore;
    boolean partnerActionRequired;
    boolean excludeArchived;
    Set<String> connectionReferenceIds;
    Set<String> actionTypes;

    /** Parses the body; problems go to {@code body.problems()}. */
    public static MeterFilter parse(BodyReader body) {
        MeterFilter f = new MeterFilter();
        String token = body.string("page_token", false);
        if (token != null && !token.isEmpty()) {
            try {
                f.after = MeterSortKey.fromPageToken(token);
            } catch (IllegalArgumentException e) {
                body.problem("page_token", "is not a page token issued by this API");
            }
        }
        Integer size = body.integer("page_size", false, 1, 500);
        if (size != null) f.pageSize = size;
        f.transmissionRegion = body.enumValue("transmission_region", false, LeapEnums.TRANSMISSION_REGIONS);
        f.customerClassification = body.enumValue("customer_classification", false, LeapEnums.CUSTOMER_CLASSIFICATIONS);
        f.meterIds = set(body.uuids("meter_ids", false, 0, 1000));
        f.partnerReferences = set(body.strings("partner_references", false, 1, 1000, null, BodyReader.PARTNER_REFERENCE));
        f.globalEnrollmentStatuses = set(body.strings("global_enrollment_statuses", false, 1, 5, LeapEnums.ENROLLMENT_STATUSES, null));
        f.meterTypes = set(body.strings("meter_types", false, 1, 20, LeapEnums.METER_TYPES, null));
        f.loadTypes = set(body.strings("load_types", false, 1, 20, LeapEnums.LOAD_TYPES, null));
        f.customerGroups = set(body.strings("customer_groups", false, 1, 20, null, null));
        f.tags = set(body.strings("tags", false, 1, 20, null, null));
        f.lastModifiedAfter = body.dateTime("last_modified_date_time", false);
        f.createdAfter = body.dateTime("created_after_date_time", false);
        f.createdBefore = body.dateTime("created_before_date_time", false);
        f.partnerActionRequired = body.bool("partner_action_required", false);
        f.excludeArchived = body.bool("exclude_archived", false);
        f.connectionReferenceIds = set(body.strings("connection_reference_ids", false, 1, 100, null, BodyReader.PARTNER_REFERENCE));
        f.actionTypes = set(body.strings("action_type", false, 1, 20, LeapEnums.ACTION_TYPES, null));
        return f;
    }

    private static <T> Set<T> set(List<T> list) {
        return list == null ? null : new HashSet<>(list);
    }

    public boolean matches(Meter m) {
        if (transmissionRegion != null && !transmissionRegion.equals(m.transmissionRegion)) return false;
        if (customerClassification != null && !customerClassification.equals(m.customerClassification)) return false;
        // meter_ids may legally be empty (minItems 0); an empty list does not restrict
        if (meterIds != null && !meterIds.isEmpty() && !meterIds.contains(m.meterId)) return false;
        if (partnerReferences != null && !partnerReferences.contains(m.partnerReference)) return false;
        if (globalEnrollmentStatuses != null && !globalEnrollmentStatuses.contains(m.globalEnrollmentStatus)) return false;
        if (meterTypes != null && !meterTypes.contains(m.meterType)) return false;
        if (loadTypes != null && m.loadTypes.stream().noneMatch(loadTypes::contains)) return false;
        if (customerGroups != null && !customerGroups.contains(m.customerGroup)) return false;
        if (tags != null && m.tags.stream().noneMatch(tags::contains)) return false;
        if (lastModifiedAfter != null && m.updatedAt.isBefore(lastModifiedAfter)) return false;
        if (createdAfter != null && m.createdAt.isBefore(createdAfter)) return false;
        if (createdBefore != null && !m.createdAt.isBefore(createdBefore)) return false;
        if (partnerActionRequired && m.partnerActions.isEmpty()) return false;
        if (excludeArchived && m.archived) return false;
        if (connectionReferenceIds != null && m.connectionReferences.stream().noneMatch(connectionReferenceIds::contains)) return false;
        if (actionTypes != null && m.partnerActions.stream().noneMatch(a -> actionTypes.contains(a.actionType()))) return false;
        return true;
    }
}
