package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.push.DeliveryAttempt;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.DispatchStore;
import io.leapvpp.hub.sandbox.state.DispatchTimeslot;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.LeapEnums;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterDispatch;
import io.leapvpp.hub.sandbox.state.PushTarget;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Dispatch API v2 (the spec's server URL includes /v2). */
@SandboxController
public class DispatchController {

    private final SandboxState state;

    public DispatchController(SandboxState state) {
        this.state = state;
    }

    @PutMapping("/v2/dispatch/meter/webhook")
    public JsonNode putMeterWebhook(@RequestBody(required = false) String body) {
        return putWebhook(body, t -> state.webhooks().meterDispatch(t));
    }

    @PutMapping("/v2/dispatch/group/webhook")
    public JsonNode putGroupWebhook(@RequestBody(required = false) String body) {
        return putWebhook(body, t -> state.webhooks().groupDispatch(t));
    }

    @GetMapping("/v2/dispatch/meter/webhook")
    public JsonNode getMeterWebhook() {
        return registered(state.webhooks()::meterDispatch, "meter").toDispatchWebhookJson();
    }

    @GetMapping("/v2/dispatch/group/webhook")
    public JsonNode getGroupWebhook() {
        return registered(state.webhooks()::groupDispatch, "group").toDispatchWebhookJson();
    }

    @DeleteMapping("/v2/dispatch/meter/webhook")
    public ResponseEntity<Void> deleteMeterWebhook() {
        registered(state.webhooks()::meterDispatch, "meter");
        state.webhooks().meterDispatch(null);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/v2/dispatch/group/webhook")
    public ResponseEntity<Void> deleteGroupWebhook() {
        registered(state.webhooks()::groupDispatch, "group");
        state.webhooks().groupDispatch(null);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v2/dispatch/meter/webhook/integration_test")
    public JsonNode meterIntegrationTest(@RequestBody(required = false) String body) {
        return integrationTest(body, false);
    }

    @PostMapping("/v2/dispatch/group/webhook/integration_test")
    public JsonNode groupIntegrationTest(@RequestBody(required = false) String body) {
        return integrationTest(body, true);
    }

    @PostMapping("/v2/dispatch/meter/search")
    public JsonNode searchMeter(@RequestBody(required = false) String body) {
        BodyReader reader = Bodies.object(body, false);
        DispatchStore.Window window = DispatchBodies.window(reader);
        Set<UUID> meterIds = set(reader.uuids("meter_ids", false, 1, 10_000));
        Set<UUID> eventIds = set(reader.uuids("meter_event_ids", false, 1, 10_000));
        Bodies.check(reader);
        return state.dispatches().searchMeters(window, meterIds, eventIds);
    }

    @PostMapping("/v2/dispatch/group/search")
    public JsonNode searchGroup(@RequestBody(required = false) String body) {
        BodyReader reader = Bodies.object(body, false);
        DispatchStore.Window window = DispatchBodies.window(reader);
        Set<UUID> groupIds = set(reader.uuids("market_group_ids", false, 1, 10_000));
        Set<UUID> eventIds = set(reader.uuids("market_group_event_ids", false, 1, 10_000));
        Bodies.check(reader);
        return state.dispatches().searchGroups(window, groupIds, eventIds);
    }

    /**
     * Answers 201 with the test's summary. When approved, every listed meter gets a communication-test timeslot that is
     * stored (search shows it with communication_test=true) and pushed with {@code communication_test: true}.
     */
    @PostMapping("/v2/dispatch/meter/communication_test")
    public ResponseEntity<JsonNode> communicationTest(@RequestBody(required = false) String body) {
        BodyReader reader = Bodies.object(body, false);
        Instant start = reader.dateTime("start_time", true);
        Instant end = reader.dateTime("end_time", true);
        if (start != null && end != null) {
            if (!end.isAfter(start)) reader.problem("end_time", "must be after start_time");
            else if (java.time.Duration.between(start, end).compareTo(DispatchBodies.MAX_WINDOW) > 0) reader.problem("end_time", "must be at most 31 days after start_time");
        }
        String program = reader.enumValue("program", true, LeapEnums.DISPATCH_PROGRAMS);
        List<UUID> meterIds = reader.uuids("meter_uuids", true, 1, 1000);
        boolean testEvent = reader.bool("test_event", false);
        Double quantity = reader.number("dispatch_quantity_kw", false, 0, Double.MAX_VALUE);
        boolean approved = reader.bool("approved", false);
        Bodies.check(reader);
        List<Meter> meters = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (UUID id : meterIds) {
            Optional<Meter> m = state.meters().find(id);
            if (m.isPresent()) meters.add(m.get());
            else unknown.add(id.toString());
        }
        if (!unknown.isEmpty()) throw new ApiException(404, "Unknown meter_uuids " + unknown);
        if (approved) {
            Double perMeter = quantity == null ? null : Math.max(0.01, Math.min(100_000, quantity / meters.size()));
            List<MeterDispatch> dispatches = new ArrayList<>();
            for (Meter m : meters) {
                DispatchTimeslot slot = new DispatchTimeslot(UUID.randomUUID(), start, end, false, perMeter, perMeter, 1, false,
                        "up-to-nomination", List.of(testEvent ? "capacity-test" : "standard"), List.of(program), true);
                dispatches.add(new MeterDispatch(m.meterId(), m.partnerReference(), slot));
            }
            state.dispatcher().sendMeterDispatches(dispatches, true);
        }
        ObjectNode response = Json.object();
        response.put("dispatch_status", approved ? "SCHEDULED" : "DRY_RUN");
        response.put("start_time", start.toString());
        response.put("end_time", end.toString());
        response.put("test_event", testEvent);
        response.put("program", program);
        response.put("approved", approved);
        response.put("transmission_region", meters.get(0).transmissionRegion());
        response.put("market_type", "day-ahead");
        response.put("meter_count", meters.size());
        return ResponseEntity.status(201).body(response);
    }

    private JsonNode putWebhook(String body, Consumer<PushTarget> store) {
        PushTarget target = DispatchBodies.webhook(Bodies.object(body, false));
        store.accept(target);
        return target.toDispatchWebhookJson();
    }

    private static PushTarget registered(Supplier<Optional<PushTarget>> current, String level) {
        return current.get().orElseThrow(() -> new ApiException(404, "No " + level + " dispatch webhook is registered"));
    }

    private JsonNode integrationTest(String body, boolean group) {
        BodyReader reader = Bodies.object(body, false);
        DispatchBodies.dispatches(reader, group);
        Bodies.check(reader);
        PushTarget target = registered(group ? state.webhooks()::groupDispatch : state.webhooks()::meterDispatch, group ? "group" : "meter");
        DeliveryAttempt a = state.dispatcher().integrationTest(group, reader.node().get(group ? "group_dispatches" : "meter_dispatches"), target);
        ObjectNode response = Json.object();
        if (a.responseStatus() != null) response.put("http_status", a.responseStatus());
        response.put("sent_time", a.sentAt().toString());
        Json.putIfPresent(response, "received_time", a.receivedAt());
        ObjectNode headers = response.putObject("headers");
        a.responseHeaders().forEach((k, v) -> headers.set(k, Json.strings(v)));
        Json.putIfPresent(response, "body", a.responseBody());
        Json.putIfPresent(response, "error_message", a.error());
        return response;
    }

    private static <T> Set<T> set(List<T> list) {
        return list == null ? null : new HashSet<>(list);
    }
}
