package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/** Every dispatch the sandbox has sent (except integration tests), keyed by event id so updates overwrite. */
public final class DispatchStore {

    public static final int MAX_RESULTS_PER_PAGE = 500;

    private final Map<UUID, MeterDispatch> meterEvents = new LinkedHashMap<>();
    private final Map<UUID, GroupDispatch> groupEvents = new LinkedHashMap<>();

    public synchronized void clear() {
        meterEvents.clear();
        groupEvents.clear();
    }

    public synchronized void put(MeterDispatch d) {
        meterEvents.put(d.timeslot().eventId(), d);
    }

    public synchronized void put(GroupDispatch d) {
        groupEvents.put(d.timeslot().eventId(), d);
    }

    public synchronized Optional<MeterDispatch> meterEvent(UUID meterEventId) {
        return Optional.ofNullable(meterEvents.get(meterEventId));
    }

    public synchronized Optional<GroupDispatch> groupEvent(UUID marketGroupEventId) {
        return Optional.ofNullable(groupEvents.get(marketGroupEventId));
    }

    public synchronized int meterEventCount() {
        return meterEvents.size();
    }

    /** Common search window and flags of both dispatch searches. */
    public record Window(Instant start, Instant end, boolean excludeRealTime, boolean excludeVoluntary, UUID pageToken) {
        boolean accepts(DispatchTimeslot t) {
            return t.overlaps(start, end) && !(excludeRealTime && t.isRealTime()) && !(excludeVoluntary && t.voluntary());
        }
    }

    /**
     * Results are grouped per meter and ordered by meter_id; the next_page_token is the last meter_id of the page
     * (a UUID, as the spec requires), so paging needs no server-side cursor state.
     */
    public synchronized ObjectNode searchMeters(Window w, Set<UUID> meterIds, Set<UUID> meterEventIds) {
        Predicate<MeterDispatch> p = d -> w.accepts(d.timeslot())
                && (meterIds == null || meterIds.contains(d.meterId()))
                && (meterEventIds == null || meterEventIds.contains(d.timeslot().eventId()));
        TreeMap<String, List<MeterDispatch>> byMeter = new TreeMap<>();
        for (MeterDispatch d : meterEvents.values()) {
            if (p.test(d)) byMeter.computeIfAbsent(d.meterId().toString(), k -> new ArrayList<>()).add(d);
        }
        Map<String, List<MeterDispatch>> page = w.pageToken() == null ? byMeter : byMeter.tailMap(w.pageToken().toString(), false);
        ObjectNode response = Json.object();
        ArrayNode results = response.putArray("results");
        String last = null;
        int count = 0;
        for (Map.Entry<String, List<MeterDispatch>> e : page.entrySet()) {
            if (count == MAX_RESULTS_PER_PAGE) {
                response.put("next_page_token", last);
                break;
            }
            ObjectNode r = results.addObject();
            MeterDispatch first = e.getValue().get(0);
            r.put("meter_id", e.getKey());
            Json.putIfPresent(r, "partner_reference", first.partnerReference());
            ArrayNode slots = r.putArray("timeslots");
            e.getValue().stream().sorted(Comparator.comparing((MeterDispatch d) -> d.timeslot().startTime()))
                    .forEach(d -> slots.add(d.timeslot().toJson("meter_event_id", false, true)));
            last = e.getKey();
            count++;
        }
        return response;
    }

    public synchronized ObjectNode searchGroups(Window w, Set<UUID> groupIds, Set<UUID> groupEventIds) {
        TreeMap<String, List<GroupDispatch>> byGroup = new TreeMap<>();
        for (GroupDispatch d : groupEvents.values()) {
            if (w.accepts(d.timeslot())
                    && (groupIds == null || groupIds.contains(d.marketGroupId()))
                    && (groupEventIds == null || groupEventIds.contains(d.timeslot().eventId()))) {
                byGroup.computeIfAbsent(d.marketGroupId().toString(), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, List<GroupDispatch>> page = w.pageToken() == null ? byGroup : byGroup.tailMap(w.pageToken().toString(), false);
        ObjectNode response = Json.object();
        ArrayNode results = response.putArray("results");
        String last = null;
        int count = 0;
        for (Map.Entry<String, List<GroupDispatch>> e : page.entrySet()) {
            if (count == MAX_RESULTS_PER_PAGE) {
                response.put("next_page_token", last);
                break;
            }
            List<GroupDispatch> slots = new ArrayList<>(e.getValue());
            slots.sort(Comparator.comparing((GroupDispatch d) -> d.timeslot().startTime()));
            GroupDispatch latest = slots.get(slots.size() - 1);
            ObjectNode r = results.addObject();
            r.put("market_group_id", e.getKey());
            r.set("meter_ids", Json.strings(latest.meterIds()));
            r.set("partner_references", Json.strings(latest.partnerReferences()));
            ArrayNode arr = r.putArray("timeslots");
            slots.forEach(d -> arr.add(d.timeslot().toJson("market_group_event_id", false, true)));
            last = e.getKey();
            count++;
        }
        return response;
    }
}
