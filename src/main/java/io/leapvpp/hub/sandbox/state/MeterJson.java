package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Renders meters exactly as Leap's MeterDetailsResponse and MeterEnrollmentResponse. */
public final class MeterJson {
    private MeterJson() {
    }

    public static ObjectNode details(Meter m) {
        ObjectNode n = identifiers(m);
        m.profile.fields().forEachRemaining((Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e) -> n.set(e.getKey(), e.getValue()));
        n.set("audit", audit(m));
        return n;
    }

    public static ObjectNode enrollment(Meter m) {
        ObjectNode n = identifiers(m);
        n.set("audit", audit(m));
        n.put("global_enrollment_status", m.globalEnrollmentStatus);
        ArrayNode prefs = n.putArray("participation_preferences");
        for (ParticipationPreference p : m.participationPreferences) {
            ObjectNode o = prefs.addObject();
            o.put("participation_preference", p.preference());
            o.put("start_time", p.startTime().toString());
            Json.putIfPresent(o, "end_time", p.endTime());
            Json.putIfPresent(o, "reason", p.reason());
        }
        ArrayNode programs = n.putArray("program_enrollment");
        for (ProgramEnrollment p : m.programEnrollment) {
            ObjectNode o = programs.addObject();
            o.put("program_identifier", p.programIdentifier());
            o.put("delivery_period", p.deliveryPeriod());
            o.put("delivery_period_start_date_time", p.deliveryPeriodStart().toString());
            o.put("delivery_period_end_date_time", p.deliveryPeriodEnd().toString());
            o.put("enrollment_status", p.enrollmentStatus());
            ObjectNode deadline = o.putArray("enrollment_deadlines").addObject();
            deadline.put("enrollment_deadline_date_time", p.enrollmentDeadline().toString());
            deadline.put("activation_date_time", p.activation().toString());
            if (p.marketGroupId() != null) {
                o.put("market_group_id", p.marketGroupId().toString());
                o.put("market_group_name", p.marketGroupName());
            }
        }
        ObjectNode actions = n.putObject("required_actions");
        actions.set("partner", actions(m.partnerActions));
        actions.set("leap", actions(m.leapActions));
        return n;
    }

    public static ArrayNode actions(List<RequiredAction> list) {
        ArrayNode a = Json.array();
        for (RequiredAction r : list) {
            ObjectNode o = a.addObject();
            o.put("program_identifier", r.programIdentifier());
            o.put("delivery_period", r.deliveryPeriod());
            o.put("enrollment_deadline_date_time", r.enrollmentDeadline().toString());
            o.put("action_type", r.actionType());
            o.put("action_description", r.actionDescription());
            o.put("action_code", r.actionCode());
        }
        return a;
    }

    private static ObjectNode identifiers(Meter m) {
        ObjectNode n = Json.object();
        n.put("meter_id", m.meterId.toString());
        n.put("partner_reference", m.partnerReference);
        n.put("transmission_region", m.transmissionRegion);
        n.put("customer_classification", m.customerClassification);
        n.set("load_types", Json.strings(m.loadTypes));
        n.put("meter_type", m.meterType);
        n.set("connection_references", Json.strings(m.connectionReferences));
        Json.putIfPresent(n, "customer_group", m.customerGroup);
        n.set("tags", Json.strings(m.tags));
        n.put("is_archived", m.archived);
        return n;
    }

    private static ObjectNode audit(Meter m) {
        ObjectNode a = Json.object();
        a.put("created_by", m.createdBy);
        a.put("created_at", m.createdAt.toString());
        a.put("updated_at", m.updatedAt.toString());
        return a;
    }
}
