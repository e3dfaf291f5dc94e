package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.dispatch.DispatchNotification.Dispatch;
import io.leapvpp.hub.dispatch.DispatchNotification.Timeslot;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns one version of one timeslot into device commands (docs/dispatch.md): which meters, which
 * topic, which kW each meter gets (group split), and when no command goes out at all (test
 * notification without a test topic, voluntary policy {@code skip}, timeslot already over,
 * meters that cannot be resolved). Pure: no database access, so it is cheap inside the intake
 * transaction and easy to test.
 */
@Component
public class CommandPlanner {

    /** Characters that make a partner_reference unusable as an MQTT topic level. */
    private static final String TOPIC_UNSAFE = "/+#\u0000";

    private final DispatchProperties properties;
    private final String commandTopicTemplate;
    private final ObjectMapper json;

    public CommandPlanner(DispatchProperties properties,
                          @Value("${hub.devices.command-topic-template:vpp/{partner_reference}/commands}") String commandTopicTemplate,
                          ObjectMapper json) {
        this.properties = properties;
        this.commandTopicTemplate = commandTopicTemplate;
        this.json = json;
    }

    /** What the hub knows of a meter ({@code meter_inventory}). */
    public record InventoryEntry(UUID meterId, String partnerReference, BigDecimal nominationKw) {
    }

    public record Command(String commandId, UUID meterId, String partnerReference, String action, String topic,
                          ObjectNode payload, Instant expiresAt) {
    }

    /** @param state RECEIVED, COMMANDED, CANCELLED or UNRESOLVED; {@code note} says why no command went out */
    public record Plan(String state, String note, List<UUID> unresolvedMeterIds, List<Command> commands) {
    }

    private record Target(UUID meterId, String partnerReference, BigDecimal nominationKw) {
    }

    public Plan plan(DispatchKind kind, Dispatch dispatch, Timeslot slot, boolean test, int version,
                     Map<UUID, InventoryEntry> inventory, Instant now) {
        String quietState = slot.cancelled() ? "CANCELLED" : "RECEIVED";
        String topicTemplate = commandTopicTemplate;
        if (test) {
            if (!properties.testNotifications().enabled()) {
                return new Plan(quietState, "test notification: recorded, no device command (hub.dispatch.test-notifications.topic-template is not set)",
                        List.of(), List.of());
            }
            topicTemplate = properties.testNotifications().topicTemplate();
        }
        if (slot.voluntary() && !slot.cancelled() && properties.skipVoluntary()) {
            return new Plan(quietState, "voluntary event: recorded, no device command (hub.dispatch.voluntary-policy=skip)", List.of(), List.of());
        }
        if (!slot.end().isAfter(now)) {
            return new Plan(quietState, "timeslot already over when received: no device command", List.of(), List.of());
        }

        List<Target> targets = new ArrayList<>();
        List<UUID> unresolved = new ArrayList<>();
        if (kind == DispatchKind.METER) {
            String ref = dispatch.partnerReference();
            if (ref == null) {
                InventoryEntry e = inventory.get(dispatch.meterId());
                ref = e == null ? null : e.partnerReference();
            }
            if (usable(ref)) {
                targets.add(new Target(dispatch.meterId(), ref, null));
            } else {
                unresolved.add(dispatch.meterId());
            }
        } else {
            List<UUID> ids = dispatch.meterIds();
            List<String> refs = dispatch.partnerReferences();
            boolean paired = !refs.isEmpty() && refs.size() == ids.size();
            // a meter listed twice is one meter: one command, one share of the group's kW (its first listing counts)
            Set<UUID> seen = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                UUID meterId = ids.get(i);
                if (!seen.add(meterId)) {
                    continue;
                }
                InventoryEntry e = inventory.get(meterId);
                String ref = paired ? refs.get(i) : null;
                if (ref == null && e != null) {
                    ref = e.partnerReference();
                }
                if (usable(ref)) {
                    targets.add(new Target(meterId, ref, e == null ? null : e.nominationKw()));
                } else {
                    unresolved.add(meterId);
                }
            }
        }
        if (targets.isEmpty()) {
            String why = kind == DispatchKind.METER
                    ? "meter has no usable partner_reference (not in the notification, not in meter_inventory)"
                    : "no meter of the group could be resolved to a partner_reference";
            return new Plan(slot.cancelled() ? "CANCELLED" : "UNRESOLVED", why, List.copyOf(unresolved), List.of());
        }

        List<BigDecimal> targetKw;
        List<BigDecimal> nominationKw;
        String splitNote = null;
        if (kind == DispatchKind.METER) {
            targetKw = java.util.Collections.singletonList(slot.energyKw());
            nominationKw = java.util.Collections.singletonList(slot.nominationKw());
        } else {
            List<BigDecimal> weights = weights(targets);
            if (properties.splitByNomination() && weights == null) {
                splitNote = "group split: nomination unknown for some meters, split evenly";
            }
            targetKw = split(slot.energyKw(), targets.size(), weights);
            nominationKw = split(slot.nominationKw(), targets.size(), weights);
        }

        String action = slot.cancelled() ? "cancel" : "schedule";
        List<Command> commands = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            String commandId = slot.eventId() + ":v" + version + ":" + t.meterId();
            ObjectNode p = json.createObjectNode();
            p.put("command_id", commandId);
            p.put("action", action);
            p.put("meter_id", t.meterId().toString());
            p.put("partner_reference", t.partnerReference());
            p.put(kind.eventIdField(), slot.eventId().toString());
            p.put("start_time", slot.start().toString());
            p.put("end_time", slot.end().toString());
            p.put("target_kw", targetKw.get(i));
            p.put("nomination_kw", nominationKw.get(i));
            p.put("priority", slot.priority());
            p.put("is_voluntary", slot.voluntary());
            p.put("performance_compensation_cap", slot.performanceCompensationCap());
            ArrayNode types = p.putArray("dispatch_event_types");
            slot.dispatchEventTypes().forEach(types::add);
            ArrayNode programs = p.putArray("programs");
            slot.programs().forEach(programs::add);
            p.put("test", test);
            String topic = topicTemplate.replace("{partner_reference}", t.partnerReference());
            commands.add(new Command(commandId, t.meterId(), t.partnerReference(), action, topic, p, slot.end()));
        }
        String note = joinNotes(unresolved.isEmpty() ? null
                : unresolved.size() + " of the group's meters could not be resolved to a partner_reference (unresolved_meter_ids)", splitNote);
        return new Plan(slot.cancelled() ? "CANCELLED" : "COMMANDED", note, List.copyOf(unresolved), commands);
    }

    /** Nomination weights when the rule is {@code nomination} and every meter's nomination is known and positive; else null (= even). */
    private List<BigDecimal> weights(List<Target> targets) {
        if (!properties.splitByNomination()) {
            return null;
        }
        List<BigDecimal> w = new ArrayList<>(targets.size());
        for (Target t : targets) {
            if (t.nominationKw() == null || t.nominationKw().signum() <= 0) {
                return null;
            }
            w.add(t.nominationKw());
        }
        return w;
    }

    /**
     * Splits {@code total} into {@code n} shares (3 decimals, as stored) proportional to
     * {@code weights}, or evenly when weights is null; the last share takes the rounding remainder
     * so the shares add up to the total exactly. Null stays null (dispatch the maximum).
     */
    static List<BigDecimal> split(BigDecimal total, int n, List<BigDecimal> weights) {
        List<BigDecimal> shares = new ArrayList<>(n);
        if (total == null) {
            for (int i = 0; i < n; i++) {
                shares.add(null);
            }
            return shares;
        }
        BigDecimal sumWeights = weights == null ? BigDecimal.valueOf(n) : weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal assigned = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            BigDecimal share;
            if (i == n - 1) {
                share = total.setScale(3, RoundingMode.HALF_UP).subtract(assigned);
            } else {
                BigDecimal w = weights == null ? BigDecimal.ONE : weights.get(i);
                share = total.multiply(w).divide(sumWeights, 3, RoundingMode.HALF_UP);
            }
            assigned = assigned.add(share);
            shares.add(share.stripTrailingZeros().scale() < 0 ? share.setScale(0) : share.stripTrailingZeros());
        }
        return shares;
    }

    static boolean usable(String partnerReference) {
        if (partnerReference == null || partnerReference.isBlank()) {
            return false;
        }
        for (int i = 0; i < partnerReference.length(); i++) {
            if (TOPIC_UNSAFE.indexOf(partnerReference.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String joinNotes(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + "; " + b;
    }
}
