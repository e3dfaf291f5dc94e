package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.ConnectSessions;
import io.leapvpp.hub.sandbox.core.PlatformEvents;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.ConnectSession;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.LeapEnums;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Control API for customers going through Leap Connect (docs/leap-sandbox.md): start a session, move it on, log in to a
 * utility, finish or drop off. Each call publishes the connect_session.* events Leap would publish to the subscribed
 * platform-event webhooks and answers {@code {session, events, delivery_ids}}.
 */
@SandboxController
public class ConnectSessionController {

    private static final Set<String> REGIONS = Set.of("CAISO", "NYISO", "PJM", "ERCOT", "WECC_PC", "WECC_SW", "ISONE");
    private static final Set<String> AUTHORIZATION_STATUSES = Set.of("INITIATED", "COMPLETED", "FAILED");

    private final SandboxState state;

    public ConnectSessionController(SandboxState state) {
        this.state = state;
    }

    /** {partner_reference, transmission_region? (CAISO)}: the customer opened the Connect link. */
    @PostMapping("/sandbox/connect-sessions")
    public JsonNode start(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, false);
        String ref = r.string("partner_reference", true, BodyReader.PARTNER_REFERENCE, 256);
        String region = r.enumValue("transmission_region", false, REGIONS);
        Bodies.check(r);
        return answer(() -> sessions().start(ref, region == null ? "CAISO" : region));
    }

    @GetMapping("/sandbox/connect-sessions")
    public JsonNode list() {
        ArrayNode list = Json.array();
        sessions().all().forEach(s -> list.add(json(s)));
        return Json.object().set("connect_sessions", list);
    }

    @GetMapping("/sandbox/connect-sessions/{partner_reference}")
    public JsonNode get(@PathVariable("partner_reference") String ref) {
        return json(sessions().find(ref).orElseThrow(() -> new ApiException(404, "no Connect session for partner_reference " + ref)));
    }

    @PostMapping("/sandbox/connect-sessions/{partner_reference}/advance")
    public JsonNode advance(@PathVariable("partner_reference") String ref) {
        return answer(() -> sessions().advance(ref));
    }

    /** {utility_name? (the region's main utility), status? (INITIATED, then COMPLETED)}: a utility login. */
    @PostMapping("/sandbox/connect-sessions/{partner_reference}/authorize")
    public JsonNode authorize(@PathVariable("partner_reference") String ref, @RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        String utility = r.enumValue("utility_name", false, LeapEnums.UTILITIES);
        String status = r.enumValue("status", false, AUTHORIZATION_STATUSES);
        Bodies.check(r);
        return answer(() -> sessions().authorize(ref, utility, status));
    }

    /**
     * {meter_after? (PT0S)}: Leap got the customer's utility data and creates the meter (UTILITY_METER, the reference as
     * partner_reference and connection reference) and publishes meter.created, whatever the session's state.
     */
    @PostMapping("/sandbox/connect-sessions/{partner_reference}/meter")
    public JsonNode meter(@PathVariable("partner_reference") String ref, @RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        Duration after = duration(r, "meter_after", Duration.ZERO);
        Bodies.check(r);
        return answer(() -> sessions().createMeter(ref, after));
    }

    /**
     * {create_meter? (false), meter_after? (PT1M, scaled by the time scale)}: the customer finished; with create_meter
     * Leap creates the customer's meter after meter_after and publishes meter.created.
     */
    @PostMapping("/sandbox/connect-sessions/{partner_reference}/complete")
    public JsonNode complete(@PathVariable("partner_reference") String ref, @RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        Duration meterAfter = meterAfter(r);
        Bodies.check(r);
        return answer(() -> sessions().complete(ref, meterAfter));
    }

    /** The meter delay when create_meter is true, else null. */
    private static Duration meterAfter(BodyReader r) {
        boolean createMeter = r.bool("create_meter", false);
        Duration delay = duration(r, "meter_after", Duration.ofMinutes(1));
        return createMeter ? delay : null;
    }

    private static Duration duration(BodyReader r, String field, Duration defaultValue) {
        String value = r.string(field, false);
        if (value == null) {
            return defaultValue;
        }
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative()) {
                r.problem(field, "must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            r.problem(field, "must be an ISO-8601 duration such as PT1M");
            return defaultValue;
        }
    }

    /** The customer left early: CLOSED. */
    @PostMapping("/sandbox/connect-sessions/{partner_reference}/close")
    public JsonNode close(@PathVariable("partner_reference") String ref) {
        return answer(() -> sessions().close(ref));
    }

    /** The customer just stops; Leap publishes nothing (the hub notices the silence). */
    @PostMapping("/sandbox/connect-sessions/{partner_reference}/abandon")
    public JsonNode abandon(@PathVariable("partner_reference") String ref) {
        return answer(() -> sessions().abandon(ref));
    }

    private ConnectSessions sessions() {
        return state.connectSessions();
    }

    private JsonNode answer(Supplier<ConnectSessions.Step> step) {
        ConnectSessions.Step s;
        try {
            s = step.get();
        } catch (ConnectSessions.Conflict e) {
            throw new ApiException(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, e.getMessage());
        }
        ObjectNode o = Json.object();
        o.set("session", json(s.session()));
        ArrayNode events = o.putArray("events");
        ArrayNode deliveries = o.putArray("delivery_ids");
        for (PlatformEvents.Published p : s.published()) {
            events.add(p.event());
            p.deliveryIds().forEach(deliveries::add);
        }
        return o;
    }

    private static ObjectNode json(ConnectSession s) {
        ObjectNode o = Json.object();
        o.put("partner_reference", s.partnerReference());
        o.put("session_number", s.number());
        o.put("transmission_region", s.transmissionRegion());
        o.put("status", s.status());
        ArrayNode authorizations = o.putArray("authorizations");
        s.authorizations().forEach((utility, status) -> authorizations.addObject().put("utility_name", utility).put("status", status));
        o.put("abandoned", s.abandoned());
        o.put("started_at", s.startedAt().toString());
        o.put("updated_at", s.updatedAt().toString());
        Json.putIfPresent(o, "meter_id", s.meterId());
        return o;
    }
}
