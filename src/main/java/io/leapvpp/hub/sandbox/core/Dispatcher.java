package io.leapvpp.hub.sandbox.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.push.DeliveryAttempt;
import io.leapvpp.hub.sandbox.push.RetryPolicy;
import io.leapvpp.hub.sandbox.push.WebhookPusher;
import io.leapvpp.hub.sandbox.state.DispatchStore;
import io.leapvpp.hub.sandbox.state.GroupDispatch;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.MeterDispatch;
import io.leapvpp.hub.sandbox.state.PushTarget;
import io.leapvpp.hub.sandbox.state.WebhookRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends dispatch notifications. Real (and communication-test) dispatches are stored first so dispatch search finds
 * them even when no webhook is registered, exactly like Leap's polling fallback.
 */
public final class Dispatcher {

    public static final String METER_KIND = "meter-dispatch";
    public static final String GROUP_KIND = "group-dispatch";
    public static final String METER_TEST_KIND = "meter-integration-test";
    public static final String GROUP_TEST_KIND = "group-integration-test";

    private final DispatchStore store;
    private final WebhookRegistry webhooks;
    private final WebhookPusher pusher;

    Dispatcher(DispatchStore store, WebhookRegistry webhooks, WebhookPusher pusher) {
        this.store = store;
        this.webhooks = webhooks;
        this.pusher = pusher;
    }

    /** The notification body and the delivery id (null when no webhook is registered). */
    public record Sent(ObjectNode notification, String deliveryId) {
    }

    public Sent sendMeterDispatches(List<MeterDispatch> dispatches, boolean communicationTest) {
        dispatches.forEach(store::put);
        Map<UUID, ObjectNode> perMeter = new LinkedHashMap<>();
        for (MeterDispatch d : dispatches) {
            ObjectNode m = perMeter.computeIfAbsent(d.meterId(), id -> {
                ObjectNode o = Json.object();
                o.put("meter_id", id.toString());
                Json.putIfPresent(o, "partner_reference", d.partnerReference());
                o.putArray("timeslots");
                return o;
            });
            ((ArrayNode) m.get("timeslots")).add(d.timeslot().toJson("meter_event_id", true, false));
        }
        ObjectNode notification = header(false, communicationTest);
        ArrayNode list = notification.putArray("meter_dispatches");
        perMeter.values().forEach(list::add);
        Optional<PushTarget> target = webhooks.meterDispatch();
        String id = target.map(t -> pusher.deliver(METER_KIND, t, Json.write(notification), RetryPolicy.dispatch())).orElse(null);
        return new Sent(notification, id);
    }

    public Sent sendGroupDispatches(List<GroupDispatch> dispatches) {
        dispatches.forEach(store::put);
        Map<UUID, ObjectNode> perGroup = new LinkedHashMap<>();
        for (GroupDispatch d : dispatches) {
            ObjectNode g = perGroup.computeIfAbsent(d.marketGroupId(), id -> {
                ObjectNode o = Json.object();
                o.put("market_group_id", id.toString());
                o.set("meter_ids", Json.strings(d.meterIds()));
                o.set("partner_references", Json.strings(d.partnerReferences()));
                o.putArray("timeslots");
                return o;
            });
            ((ArrayNode) g.get("timeslots")).add(d.timeslot().toJson("market_group_event_id", true, false));
        }
        ObjectNode notification = header(false, false);
        ArrayNode list = notification.putArray("group_dispatches");
        perGroup.values().forEach(list::add);
        Optional<PushTarget> target = webhooks.groupDispatch();
        String id = target.map(t -> pusher.deliver(GROUP_KIND, t, Json.write(notification), RetryPolicy.dispatch())).orElse(null);
        return new Sent(notification, id);
    }

    /** Integration tests push the caller's own dispatches once; they are not real dispatches, so search never shows them. */
    public DeliveryAttempt integrationTest(boolean group, JsonNode dispatches, PushTarget target) {
        ObjectNode notification = header(true, false);
        notification.set(group ? "group_dispatches" : "meter_dispatches", dispatches.deepCopy());
        return pusher.sendOnce(group ? GROUP_TEST_KIND : METER_TEST_KIND, target, Json.write(notification));
    }

    private static ObjectNode header(boolean integrationTest, boolean communicationTest) {
        ObjectNode n = Json.object();
        n.put("integration_test_notification", integrationTest);
        n.put("communication_test", communicationTest);
        return n;
    }
}
