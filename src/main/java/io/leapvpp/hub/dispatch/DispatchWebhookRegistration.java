package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.leap.LeapApiException;
import io.leapvpp.hub.leap.LeapClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registers the hub's dispatch receivers at Leap (routes/23-dispatch-webhook-registration.camel.yaml):
 * reads the current meter and group dispatch webhook; none → PUT ours with the shared-secret header;
 * the same URL → PUT again (refreshes the header, e.g. after a secret rotation); a different URL →
 * WARN and leave it, unless {@code hub.dispatch.registration.overwrite=true}. Never logs the secret.
 */
@Component("dispatchWebhookRegistration")
public class DispatchWebhookRegistration {

    private static final Logger log = LoggerFactory.getLogger(DispatchWebhookRegistration.class);

    public enum Outcome { REGISTERED, REFRESHED, KEPT_OTHER, OVERWROTE_OTHER }

    private final LeapClient leap;
    private final DispatchProperties properties;
    private final ObjectMapper json;

    public DispatchWebhookRegistration(LeapClient leap, DispatchProperties properties, ObjectMapper json) {
        this.leap = leap;
        this.properties = properties;
        this.json = json;
    }

    /** Both webhooks; the outcome per kind (METER, GROUP). */
    public Map<String, Outcome> registerAll() {
        String base = properties.registration().publicBaseUrl();
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("hub.dispatch.registration.public-base-url (DISPATCH_PUBLIC_BASE_URL) is not set");
        }
        if (properties.webhook().secret() == null || properties.webhook().secret().isBlank()) {
            throw new IllegalStateException("hub.dispatch.webhook.secret (DISPATCH_WEBHOOK_SECRET) is not set; refusing to register an unauthenticated webhook");
        }
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put("METER", register("meter", base + DispatchProperties.METER_PATH, leap::getMeterDispatchWebhook, leap::putMeterDispatchWebhook));
        outcomes.put("GROUP", register("group", base + DispatchProperties.GROUP_PATH, leap::getGroupDispatchWebhook, leap::putGroupDispatchWebhook));
        return outcomes;
    }

    private Outcome register(String kind, String ourUrl, Supplier<JsonNode> current, Function<Object, JsonNode> put) {
        String existing = null;
        try {
            JsonNode webhook = current.get();
            existing = webhook == null ? null : webhook.path("url").asText(null);
        } catch (LeapApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        Outcome outcome;
        if (existing == null || existing.isBlank()) {
            outcome = Outcome.REGISTERED;
        } else if (existing.equals(ourUrl)) {
            outcome = Outcome.REFRESHED;
        } else if (properties.registration().overwrite()) {
            outcome = Outcome.OVERWROTE_OTHER;
        } else {
            log.warn("Leap's {} dispatch webhook points to {}, not to this hub ({}); left as it is "
                    + "(set hub.dispatch.registration.overwrite=true to replace it)", kind, existing, ourUrl);
            return Outcome.KEPT_OTHER;
        }
        ObjectNode body = json.createObjectNode();
        body.put("url", ourUrl);
        ObjectNode header = body.putArray("headers").addObject();
        header.put("name", properties.webhook().headerName());
        header.put("value", properties.webhook().secret());
        put.apply(body);
        if (outcome == Outcome.OVERWROTE_OTHER) {
            log.warn("Leap's {} dispatch webhook pointed to {}; replaced with {} (hub.dispatch.registration.overwrite=true)", kind, existing, ourUrl);
        } else {
            log.info("Leap's {} dispatch webhook {}: {}", kind, outcome == Outcome.REGISTERED ? "registered" : "refreshed", ourUrl);
        }
        return outcome;
    }
}
