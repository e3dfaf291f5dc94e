package io.leapvpp.hub.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.leap.LeapApiException;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.operations.LeapEventLogContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the inventory current from Leap's platform events ({@code meter.created}, {@code meter.enrollment.*}).
 * Events only say that something changed and may arrive twice or out of order (GUIDE §2.3), so every event makes the
 * hub re-read the meter(s) from Leap and write what Leap answers now; the write never replaces newer data with older
 * ({@code audit.updated_at}). Applying the same event twice changes nothing.
 * <p>
 * The platform-event receiver calls {@link #applyEvent(JsonNode)} (or the route {@code direct:inventory-apply-event})
 * with the stored envelope {@code {webhook_event_id, payload{webhook_event_type, ...}}}. Leap being unreachable throws
 * (the caller's error policy retries); a meter Leap does not know is recorded and logged, not thrown.
 */
public class InventoryEvents {

    private static final Logger log = LoggerFactory.getLogger(InventoryEvents.class);
    /** Leap accepts up to 1000 meter_ids per search. */
    private static final int IDS_PER_SEARCH = 1000;

    public static final Set<String> TYPES = Set.of("meter.created", "meter.enrollment.global-status.updated",
            "meter.enrollment.participation-status.updated", "meter.enrollment.required-actions.updated",
            "meter.enrollment.group.updated");

    private final LeapClient leap;
    private final MeterInventoryStore store;
    private final TransactionTemplate tx;
    private final ObjectMapper mapper;
    private final int pageSize;

    public InventoryEvents(LeapClient leap, MeterInventoryStore store, TransactionTemplate tx, ObjectMapper mapper, int pageSize) {
        this.leap = leap;
        this.store = store;
        this.tx = tx;
        this.mapper = mapper;
        this.pageSize = pageSize;
    }

    /**
     * Route step of {@code direct:inventory-apply-event}: the body is the envelope (JSON text, bytes, JsonNode or Map);
     * tags the exchange's log lines with the webhook_event_id and replaces the body with the outcome.
     */
    public void apply(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        JsonNode envelope;
        try {
            if (body instanceof JsonNode n) {
                envelope = n;
            } else if (body instanceof byte[] b) {
                envelope = mapper.readTree(b);
            } else if (body instanceof String s) {
                envelope = mapper.readTree(s);
            } else if (body == null) {
                envelope = mapper.createObjectNode();
            } else {
                envelope = mapper.valueToTree(body);
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("platform event is not JSON: " + e.getMessage(), e);
        }
        new LeapEventLogContext().tag(exchange, MeterInventoryStore.text(envelope, "webhook_event_id"));
        exchange.getMessage().setBody(applyEvent(envelope));
    }

    public boolean handles(String webhookEventType) {
        return TYPES.contains(webhookEventType);
    }

    /**
     * Applies one platform event. Returns {@code {webhook_event_id, webhook_event_type, outcome, meter_ids,
     * inventory_events}}; outcome APPLIED, NOT_FOUND (Leap does not know the meter), IGNORED (not an inventory event)
     * or REJECTED (the payload lacks what the type requires).
     */
    public ObjectNode applyEvent(JsonNode envelope) {
        JsonNode payload = envelope.has("payload") ? envelope.path("payload") : envelope;
        String eventId = MeterInventoryStore.text(envelope, "webhook_event_id");
        String type = MeterInventoryStore.text(payload, "webhook_event_type");
        ObjectNode result = mapper.createObjectNode();
        result.put("webhook_event_id", eventId);
        result.put("webhook_event_type", type);
        MeterInventoryStore.WriteContext ctx = MeterInventoryStore.WriteContext.event(eventId);
        if (type == null || !handles(type)) {
            log.debug("Platform event {} of type {} is not an inventory event; ignored", eventId, type);
            return result.put("outcome", "IGNORED");
        }
        if ("meter.enrollment.group.updated".equals(type)) {
            return applyGroupUpdate(payload, ctx, result);
        }
        UUID meterId = MeterInventoryStore.uuid(MeterInventoryStore.text(payload, "meter_id"));
        if (meterId == null) {
            log.warn("Platform event {} ({}) has no valid meter_id; nothing to apply", eventId, type);
            return result.put("outcome", "REJECTED").put("reason", "payload.meter_id is missing or not a UUID");
        }
        result.putArray("meter_ids").add(meterId.toString());
        JsonNode current;
        try {
            current = leap.getMeterEnrollment(meterId.toString());
        } catch (LeapApiException e) {
            if (e.status() == 404) {
                return notFound(meterId, type, ctx, result);
            }
            throw e;
        }
        MeterInventoryStore.PageResult r = tx.execute(s -> store.upsertPage(List.of(current), ctx));
        log.info("Platform event {} ({}): meter {} re-read from Leap and {} ({} inventory events)", eventId, type, meterId,
                r.written() > 0 ? "written" : "kept (the hub already had newer data)", r.events());
        return result.put("outcome", r.written() > 0 ? "APPLIED" : "STALE").put("inventory_events", r.events());
    }

    /**
     * {@code meter.enrollment.group.updated} carries the group's full new membership. The meters that joined or left
     * (compared with the hub's current members) are re-read from Leap; their program enrollment decides the membership,
     * with the event's start/end as its validity.
     */
    private ObjectNode applyGroupUpdate(JsonNode payload, MeterInventoryStore.WriteContext ctx, ObjectNode result) {
        UUID groupId = MeterInventoryStore.uuid(MeterInventoryStore.text(payload, "market_group_id"));
        if (groupId == null || !payload.path("meter_ids").isArray()) {
            return result.put("outcome", "REJECTED").put("reason", "payload.market_group_id and payload.meter_ids are required");
        }
        Instant start = MeterInventoryStore.instant(MeterInventoryStore.text(payload, "start_date_time"));
        Instant end = MeterInventoryStore.instant(MeterInventoryStore.text(payload, "end_date_time"));
        Set<UUID> members = new LinkedHashSet<>();
        for (JsonNode id : payload.path("meter_ids")) {
            UUID u = MeterInventoryStore.uuid(id.asText(null));
            if (u != null) {
                members.add(u);
            }
        }
        tx.executeWithoutResult(s -> store.upsertMarketGroup(groupId, MeterInventoryStore.text(payload, "market_group_name"), start, end));
        Set<UUID> current = store.currentMembers(groupId);
        Set<UUID> affected = new LinkedHashSet<>();
        members.stream().filter(m -> !current.contains(m)).forEach(affected::add);
        current.stream().filter(m -> !members.contains(m)).forEach(affected::add);
        MeterInventoryStore.WriteContext groupCtx = ctx.withGroupValidity(Map.of(groupId, new MeterInventoryStore.Validity(start, end)));
        Set<UUID> returned = new HashSet<>();
        int[] events = {0};
        List<UUID> ids = new ArrayList<>(affected);
        for (int i = 0; i < ids.size(); i += IDS_PER_SEARCH) {
            List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_SEARCH));
            ObjectNode filter = mapper.createObjectNode();
            filter.put("page_size", pageSize);
            ArrayNode list = filter.putArray("meter_ids");
            chunk.forEach(u -> list.add(u.toString()));
            leap.forEachMeterEnrollmentsPage(filter, page -> {
                MeterInventoryStore.PageResult r = tx.execute(s -> store.upsertPage(page, groupCtx));
                returned.addAll(r.meterIds());
                events[0] += r.events();
            });
        }
        ArrayNode touched = result.putArray("meter_ids");
        affected.forEach(u -> touched.add(u.toString()));
        for (UUID u : affected) {
            if (!returned.contains(u)) {
                notFound(u, "meter.enrollment.group.updated", groupCtx, mapper.createObjectNode());
            }
        }
        log.info("Platform event {} (meter.enrollment.group.updated): group {} has {} members; {} joined or left and were"
                + " re-read from Leap ({} inventory events)", ctx.webhookEventId(), groupId, members.size(), affected.size(), events[0]);
        return result.put("outcome", "APPLIED").put("market_group_id", groupId.toString()).put("inventory_events", events[0]);
    }

    private ObjectNode notFound(UUID meterId, String type, MeterInventoryStore.WriteContext ctx, ObjectNode result) {
        log.warn("Platform event {} ({}) names meter {}, which Leap does not know (404); recorded as inventory event"
                + " NOT_FOUND_AT_LEAP", ctx.webhookEventId(), type, meterId);
        ObjectNode detail = mapper.createObjectNode().put("webhook_event_type", type);
        tx.executeWithoutResult(s -> store.recordEvent("NOT_FOUND_AT_LEAP", meterId, null, detail, ctx));
        return result.put("outcome", "NOT_FOUND");
    }
}
