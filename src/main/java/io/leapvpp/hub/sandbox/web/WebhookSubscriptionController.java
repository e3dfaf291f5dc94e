package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.PlatformEvents;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.push.DeliveryAttempt;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.Header;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.LeapEnums;
import io.leapvpp.hub.sandbox.state.Subscription;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;

import java.util.List;
import java.util.UUID;

/** Webhook Subscription API v1.1 (general platform events). */
@SandboxController
public class WebhookSubscriptionController {

    public static final String TEST_KIND = "platform-event-test";

    private final SandboxState state;

    public WebhookSubscriptionController(SandboxState state) {
        this.state = state;
    }

    @GetMapping("/v1.1/webhooks")
    public JsonNode list() {
        ObjectNode response = Json.object();
        ArrayNode list = response.putArray("webhooks");
        state.webhooks().subscriptions().forEach(s -> list.add(s.toJson()));
        return response;
    }

    @PostMapping("/v1.1/webhooks")
    public JsonNode create(@RequestBody(required = false) String body) {
        Subscription s = parse(UUID.randomUUID(), body);
        state.webhooks().put(s);
        return Json.object().put("webhook_id", s.webhookId().toString());
    }

    /** Full replace: fields left out are gone afterwards (Leap's documented PUT semantics). */
    @PutMapping("/v1.1/webhooks/{webhook_id}")
    public JsonNode update(@PathVariable("webhook_id") String webhookId, @RequestBody(required = false) String body) {
        Subscription existing = find(webhookId);
        Subscription s = parse(existing.webhookId(), body);
        state.webhooks().put(s);
        return Json.object().put("webhook_id", s.webhookId().toString());
    }

    @DeleteMapping("/v1.1/webhooks/{webhook_id}")
    public JsonNode delete(@PathVariable("webhook_id") String webhookId) {
        state.webhooks().remove(find(webhookId).webhookId());
        return Json.object().put("message", "Webhook deleted successfully");
    }

    /** Pushes the supplied payload once, wrapped in the event envelope, and reports the receiver's reaction. */
    @PostMapping("/v1.1/webhooks/{webhook_id}/test")
    public JsonNode test(@PathVariable("webhook_id") String webhookId, @RequestBody(required = false) String body) {
        Subscription s = find(webhookId);
        BodyReader reader = Bodies.object(body, false);
        reader.enumValue("webhook_event_type", true, LeapEnums.WEBHOOK_EVENT_TYPES);
        Bodies.check(reader);
        ObjectNode event = PlatformEvents.envelope(((ObjectNode) reader.node()).deepCopy());
        DeliveryAttempt a = state.pusher().sendOnce(TEST_KIND, s.target(), Json.write(event));
        ObjectNode response = Json.object();
        response.put("is_successful", a.success());
        Json.putIfPresent(response, "error", a.error());
        if (a.responseStatus() != null) response.put("status_code", a.responseStatus());
        response.put("response_time_ms", a.latencyMs());
        return response;
    }

    private Subscription find(String webhookId) {
        UUID id = BodyReader.parseUuid(webhookId);
        if (id == null) throw new ApiException(404, "The specified resource was not found");
        return state.webhooks().subscription(id).orElseThrow(() -> new ApiException(404, "The specified resource was not found"));
    }

    private static Subscription parse(UUID id, String body) {
        BodyReader reader = Bodies.object(body, false);
        String url = reader.string("receiver_url", true);
        if (url != null && !DispatchBodies.isAbsoluteHttpUrl(url)) reader.problem("receiver_url", "must be an absolute http(s) URL");
        List<String> eventTypes = reader.strings("event_types", true, 1, 20, LeapEnums.WEBHOOK_EVENT_TYPES, null);
        List<Header> headers = DispatchBodies.headers(reader, "headers", "name", "value");
        Bodies.check(reader);
        return new Subscription(id, url, eventTypes, headers);
    }
}
