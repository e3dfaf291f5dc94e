package io.leapvpp.hub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.leap.LeapClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes sure Leap pushes the platform events the hub needs to {@code <public-base-url>/leap/webhooks/events}
 * (routes/10-platform-events.camel.yaml, at start when {@code hub.events.subscription.enabled}). Read-modify-write,
 * because Leap's update replaces the whole subscription: the subscription with our receiver URL keeps its event types
 * and headers, ours are added (our secret header replaces one of the same name); none yet → created. Never logs the secret.
 */
@Component("platformEventSubscription")
public class PlatformEventSubscription {

    private static final Logger log = LoggerFactory.getLogger(PlatformEventSubscription.class);
    public static final String PATH = "/leap/webhooks/events";

    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final LeapClient leap;
    private final ObjectMapper json;
    private final String publicBaseUrl;
    private final String headerName;
    private final String secret;
    private final List<String> eventTypes;

    public PlatformEventSubscription(LeapClient leap, ObjectMapper json,
                                     @Value("${hub.dispatch.registration.public-base-url:}") String publicBaseUrl,
                                     @Value("${hub.events.webhook.header-name:x-api-key}") String headerName,
                                     @Value("${hub.events.webhook.secret:}") String secret,
                                     @Value("${hub.events.subscription.event-types:}") String eventTypes) {
        this.leap = leap;
        this.json = json;
        this.publicBaseUrl = publicBaseUrl;
        this.headerName = headerName;
        this.secret = secret;
        this.eventTypes = eventTypes == null || eventTypes.isBlank()
                ? PlatformEventReceiver.KNOWN_TYPES.stream().sorted().toList()
                : Arrays.stream(eventTypes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String receiverUrl() {
        if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
            throw new IllegalStateException("hub.dispatch.registration.public-base-url (DISPATCH_PUBLIC_BASE_URL) is not set");
        }
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + PATH;
    }

    public Outcome ensure() {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("hub.events.webhook.secret (EVENTS_WEBHOOK_SECRET) is not set; refusing to subscribe an unauthenticated receiver");
        }
        String url = receiverUrl();
        JsonNode existing = null;
        for (JsonNode w : leap.listWebhooks().path("webhooks")) {
            if (url.equals(w.path("receiver_url").asText(null))) {
                existing = w;
                break;
            }
        }
        if (existing == null) {
            ObjectNode body = subscription(url, new LinkedHashSet<>(eventTypes), json.createArrayNode());
            JsonNode created = leap.createWebhook(body);
            log.info("Platform event subscription created at Leap: {} for {} (webhook_id {})", url, eventTypes, created.path("webhook_id").asText());
            return Outcome.CREATED;
        }
        Set<String> types = new LinkedHashSet<>();
        existing.path("event_types").forEach(t -> types.add(t.asText()));
        boolean typesComplete = types.containsAll(eventTypes);
        types.addAll(eventTypes);
        ArrayNode headers = json.createArrayNode();
        boolean headerCurrent = false;
        for (JsonNode h : existing.path("headers")) {
            if (headerName.equalsIgnoreCase(h.path("name").asText())) {
                headerCurrent = secret.equals(h.path("value").asText(null));
                continue; // ours is added below with the current secret
            }
            headers.add(h.deepCopy());
        }
        String id = existing.path("webhook_id").asText();
        if (typesComplete && headerCurrent) {
            log.info("Platform event subscription at Leap is current: {} (webhook_id {})", url, id);
            return Outcome.UNCHANGED;
        }
        leap.updateWebhook(id, subscription(url, types, headers));
        log.info("Platform event subscription updated at Leap: {} now for {} (webhook_id {})", url, types, id);
        return Outcome.UPDATED;
    }

    private ObjectNode subscription(String url, Set<String> types, ArrayNode otherHeaders) {
        ObjectNode body = json.createObjectNode();
        body.put("receiver_url", url);
        ArrayNode t = body.putArray("event_types");
        types.forEach(t::add);
        ArrayNode h = body.putArray("headers");
        h.addAll(otherHeaders);
        h.addObject().put("name", headerName).put("value", secret);
        return body;
    }
}
