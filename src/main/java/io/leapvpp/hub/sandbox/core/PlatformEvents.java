package io.leapvpp.hub.sandbox.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.push.RetryPolicy;
import io.leapvpp.hub.sandbox.push.WebhookPusher;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterJson;
import io.leapvpp.hub.sandbox.state.Subscription;
import io.leapvpp.hub.sandbox.state.WebhookRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Publishes general-platform events ({@code {webhook_event_id, payload{webhook_event_type,...}}}) to subscribers. */
public final class PlatformEvents {

    public static final String KIND = "platform-event";

    private final WebhookRegistry webhooks;
    private final WebhookPusher pusher;

    PlatformEvents(WebhookRegistry webhooks, WebhookPusher pusher) {
        this.webhooks = webhooks;
        this.pusher = pusher;
    }

    /** What was published: the envelope and one delivery id per subscriber. */
    public record Published(ObjectNode event, List<String> deliveryIds) {
    }

    public static ObjectNode envelope(ObjectNode payload) {
        ObjectNode event = Json.object();
        event.put("webhook_event_id", UUID.randomUUID().toString());
        event.set("payload", payload);
        return event;
    }

    public Published publish(String eventType, ObjectNode fields) {
        ObjectNode payload = Json.object();
        payload.put("webhook_event_type", eventType);
        payload.setAll(fields);
        ObjectNode event = envelope(payload);
        String body = Json.write(event);
        List<String> ids = new ArrayList<>();
        for (Subscription s : webhooks.subscribedTo(eventType)) {
            ids.add(pusher.deliver(KIND, s.target(), body, RetryPolicy.platformEvents()));
        }
        return new Published(event, ids);
    }

    public Published meterCreated(Meter m) {
        return publish("meter.created", meterFields(m));
    }

    public Published globalStatusUpdated(Meter m) {
        ObjectNode f = meterFields(m);
        f.put("global_enrollment_status", m.globalEnrollmentStatus());
        return publish("meter.enrollment.global-status.updated", f);
    }

    /** An empty partner list is rendered as an empty object: Leap's "all actions resolved" signal. */
    public Published requiredActionsUpdated(Meter m) {
        ObjectNode f = meterFields(m);
        f.put("global_enrollment_status", m.globalEnrollmentStatus());
        ObjectNode actions = f.putObject("required_actions");
        if (!m.partnerActions().isEmpty()) actions.set("partner", MeterJson.actions(m.partnerActions()));
        return publish("meter.enrollment.required-actions.updated", f);
    }

    private static ObjectNode meterFields(Meter m) {
        ObjectNode f = Json.object();
        f.put("meter_id", m.meterId().toString());
        f.put("partner_reference", m.partnerReference());
        f.put("transmission_region", m.transmissionRegion());
        f.put("meter_type", m.meterType());
        return f;
    }
}
