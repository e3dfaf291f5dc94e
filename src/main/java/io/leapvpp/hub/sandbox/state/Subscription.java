package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/** A general-platform webhook subscription (Webhook Subscription API v1.1). */
public record Subscription(UUID webhookId, String receiverUrl, List<String> eventTypes, List<Header> headers) {
    public PushTarget target() {
        return new PushTarget(receiverUrl, headers);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("webhook_id", webhookId.toString());
        o.set("event_types", Json.strings(eventTypes));
        ArrayNode h = o.putArray("headers");
        headers.forEach(x -> h.addObject().put("name", x.name()).put("value", x.value()));
        o.put("receiver_url", receiverUrl);
        return o;
    }
}
