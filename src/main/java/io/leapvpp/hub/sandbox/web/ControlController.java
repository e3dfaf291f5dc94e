package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.Dispatcher;
import io.leapvpp.hub.sandbox.core.PlatformEvents;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.push.DeliveryAttempt;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.DispatchTimeslot;
import io.leapvpp.hub.sandbox.state.Faults;
import io.leapvpp.hub.sandbox.state.FieldProblem;
import io.leapvpp.hub.sandbox.state.GroupDispatch;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.LeapEnums;
import io.leapvpp.hub.sandbox.state.MarketGroup;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterDispatch;
import io.leapvpp.hub.sandbox.state.ParticipationPreference;
import io.leapvpp.hub.sandbox.state.ProgramEnrollment;
import io.leapvpp.hub.sandbox.state.PushTarget;
import io.leapvpp.hub.sandbox.state.RecordedRequest;
import io.leapvpp.hub.sandbox.state.RequiredAction;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/** The sandbox's own control API (docs/leap-sandbox.md): make Leap do things, and look at what happened. */
@SandboxController
public class ControlController {

    private static final Map<String, String> DEFAULT_PROGRAM = Map.of("CAISO", "CCA", "NYISO", "NYISO-SCR", "PJM", "PJM-CAPACITY");

    private final SandboxState state;

    public ControlController(SandboxState state) {
        this.state = state;
    }

    @GetMapping("/sandbox/status")
    public JsonNode status() {
        ObjectNode o = Json.object();
        o.put("meters", state.meters().size());
        o.put("market_groups", state.meters().marketGroups().size());
        o.put("meter_dispatch_events", state.dispatches().meterEventCount());
        o.put("time_scale", state.settings().timeScale());
        o.put("push_timeout_ms", state.settings().pushTimeout().toMillis());
        o.put("meter_dispatch_webhook", state.webhooks().meterDispatch().map(PushTarget::url).orElse(null));
        o.put("group_dispatch_webhook", state.webhooks().groupDispatch().map(PushTarget::url).orElse(null));
        o.put("platform_subscriptions", state.webhooks().subscriptions().size());
        return o;
    }

    @PostMapping("/sandbox/reset")
    public JsonNode reset() {
        state.reset();
        return Json.object().put("message", "restored the seeded state").put("meters", state.meters().size());
    }

    // ---- dispatches -------------------------------------------------------------------------------------------

    @PostMapping("/sandbox/dispatches/meter")
    public JsonNode dispatchMeters(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        List<UUID> ids = r.uuids("meter_ids", false, 1, 10_000);
        Integer count = r.integer("count", false, 1, 10_000);
        SlotOptions options = SlotOptions.parse(r);
        Bodies.check(r);
        List<Meter> meters = ids != null ? ids.stream().map(this::meter).toList() : randomActiveMeters(count == null ? 1 : count);
        List<MeterDispatch> dispatches = new ArrayList<>();
        for (Meter m : meters) {
            for (DispatchTimeslot slot : options.timeslots(programsFor(options, m.transmissionRegion()))) {
                dispatches.add(new MeterDispatch(m.meterId(), m.partnerReference(), slot));
            }
        }
        return sent(state.dispatcher().sendMeterDispatches(dispatches, false));
    }

    @PostMapping("/sandbox/dispatches/meter/{meter_event_id}")
    public JsonNode updateMeterEvent(@PathVariable("meter_event_id") String eventId, @RequestBody(required = false) String body) {
        MeterDispatch current = state.dispatches().meterEvent(uuid("meter_event_id", eventId))
                .orElseThrow(() -> new ApiException(404, "unknown meter_event_id " + eventId));
        BodyReader r = Bodies.object(body, true);
        DispatchTimeslot updated = SlotOptions.update(current.timeslot(), r);
        Bodies.check(r);
        return sent(state.dispatcher().sendMeterDispatches(List.of(current.withTimeslot(updated)), updated.communicationTest()));
    }

    @PostMapping("/sandbox/dispatches/meter/{meter_event_id}/cancel")
    public JsonNode cancelMeterEvent(@PathVariable("meter_event_id") String eventId) {
        MeterDispatch current = state.dispatches().meterEvent(uuid("meter_event_id", eventId))
                .orElseThrow(() -> new ApiException(404, "unknown meter_event_id " + eventId));
        return sent(state.dispatcher().sendMeterDispatches(List.of(current.withTimeslot(current.timeslot().cancel())),
                current.timeslot().communicationTest()));
    }

    @PostMapping("/sandbox/dispatches/group")
    public JsonNode dispatchGroup(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        UUID groupId = r.uuid("market_group_id", false);
        SlotOptions options = SlotOptions.parse(r);
        Bodies.check(r);
        MarketGroup group = groupId != null
                ? state.meters().marketGroup(groupId).orElseThrow(() -> new ApiException(404, "unknown market_group_id " + groupId))
                : state.meters().marketGroups().stream().filter(g -> !activeMembers(g).isEmpty()).findFirst()
                .orElseThrow(() -> new ApiException(409, "no market group has members"));
        List<Meter> members = activeMembers(group);
        List<UUID> meterIds = members.stream().map(Meter::meterId).toList();
        List<String> refs = members.stream().map(Meter::partnerReference).toList();
        List<GroupDispatch> dispatches = new ArrayList<>();
        for (DispatchTimeslot slot : options.timeslots(programsFor(options, group.transmissionRegion()))) {
            dispatches.add(new GroupDispatch(group.id(), meterIds, refs, slot));
        }
        return sent(state.dispatcher().sendGroupDispatches(dispatches));
    }

    @PostMapping("/sandbox/dispatches/group/{market_group_event_id}")
    public JsonNode updateGroupEvent(@PathVariable("market_group_event_id") String eventId, @RequestBody(required = false) String body) {
        GroupDispatch current = state.dispatches().groupEvent(uuid("market_group_event_id", eventId))
                .orElseThrow(() -> new ApiException(404, "unknown market_group_event_id " + eventId));
        BodyReader r = Bodies.object(body, true);
        DispatchTimeslot updated = SlotOptions.update(current.timeslot(), r);
        Bodies.check(r);
        return sent(state.dispatcher().sendGroupDispatches(List.of(current.withTimeslot(updated))));
    }

    @PostMapping("/sandbox/dispatches/group/{market_group_event_id}/cancel")
    public JsonNode cancelGroupEvent(@PathVariable("market_group_event_id") String eventId) {
        GroupDispatch current = state.dispatches().groupEvent(uuid("market_group_event_id", eventId))
                .orElseThrow(() -> new ApiException(404, "unknown market_group_event_id " + eventId));
        return sent(state.dispatcher().sendGroupDispatches(List.of(current.withTimeslot(current.timeslot().cancel()))));
    }

    /** Like Leap's trigger-test endpoints, but the sandbox fills in a realistic notification for the given/random meters. */
    @PostMapping("/sandbox/integration-tests/meter")
    public JsonNode integrationTestMeter(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        List<UUID> ids = r.uuids("meter_ids", false, 1, 1000);
        SlotOptions options = SlotOptions.parse(r);
        Bodies.check(r);
        PushTarget target = state.webhooks().meterDispatch().orElseThrow(() -> new ApiException(409, "no meter dispatch webhook registered"));
        List<Meter> meters = ids != null ? ids.stream().map(this::meter).toList() : randomActiveMeters(1);
        ArrayNode list = Json.array();
        for (Meter m : meters) {
            ObjectNode d = list.addObject().put("meter_id", m.meterId().toString()).put("partner_reference", m.partnerReference());
            ArrayNode slots = d.putArray("timeslots");
            options.timeslots(programsFor(options, m.transmissionRegion())).forEach(t -> slots.add(t.toJson("meter_event_id", true, false)));
        }
        return attempt(state.dispatcher().integrationTest(false, list, target));
    }

    // ---- meter changes that Leap announces with platform events ---------------------------------------------------

    @PostMapping("/sandbox/meters/{meter_id}/status")
    public JsonNode changeStatus(@PathVariable("meter_id") String meterId, @RequestBody(required = false) String body) {
        Meter m = meter(uuid("meter_id", meterId));
        BodyReader r = Bodies.object(body, false);
        String status = r.enumValue("global_enrollment_status", true, LeapEnums.ENROLLMENT_STATUSES);
        Bodies.check(r);
        state.meters().update(m.meterId(), c -> {
            c.globalEnrollmentStatus(status);
            c.programEnrollment(c.meter().programEnrollment().stream().map(p -> p.withStatus(status)).toList());
        });
        return published(state.platformEvents().globalStatusUpdated(m));
    }

    /** Replaces the meter's partner required actions; an empty list resolves them all. */
    @PostMapping("/sandbox/meters/{meter_id}/required-actions")
    public JsonNode changeRequiredActions(@PathVariable("meter_id") String meterId, @RequestBody(required = false) String body) {
        Meter m = meter(uuid("meter_id", meterId));
        BodyReader r = Bodies.object(body, false);
        JsonNode list = r.node().get("partner");
        List<RequiredAction> actions = new ArrayList<>();
        if (list == null || !list.isArray()) {
            r.problem("partner", "must be an array (empty = all actions resolved)");
        } else {
            String program = m.programEnrollment().isEmpty() ? DEFAULT_PROGRAM.getOrDefault(m.transmissionRegion(), "CCA")
                    : m.programEnrollment().get(0).programIdentifier();
            String period = m.programEnrollment().isEmpty() ? program + "_2025_MAY_OCT" : m.programEnrollment().get(0).deliveryPeriod();
            for (int i = 0; i < list.size(); i++) {
                BodyReader a = r.element(list.get(i), i);
                String type = a.enumValue("action_type", true, LeapEnums.ACTION_TYPES);
                String description = a.string("action_description", false);
                String code = a.string("action_code", false);
                Instant deadline = a.dateTime("enrollment_deadline_date_time", false);
                String p = a.string("program_identifier", false);
                String dp = a.string("delivery_period", false);
                if (type != null) {
                    actions.add(new RequiredAction(p != null ? p : program, dp != null ? dp : period,
                            deadline != null ? deadline : Instant.now().plus(14, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS),
                            type, description != null ? description : "Partner action required: " + type,
                            code != null ? code : "SERV_0005"));
                }
            }
        }
        Bodies.check(r);
        state.meters().update(m.meterId(), c -> c.partnerActions(actions));
        return published(state.platformEvents().requiredActionsUpdated(m));
    }

    @PostMapping("/sandbox/meters/{meter_id}/participation")
    public JsonNode changeParticipation(@PathVariable("meter_id") String meterId, @RequestBody(required = false) String body) {
        Meter m = meter(uuid("meter_id", meterId));
        BodyReader r = Bodies.object(body, false);
        String preference = r.enumValue("participation_preference", true, LeapEnums.PARTICIPATION_PREFERENCES);
        Instant start = r.dateTime("start_time", true);
        Instant end = r.dateTime("end_time", false);
        String reason = r.string("reason", false);
        Bodies.check(r);
        state.meters().update(m.meterId(), c -> {
            List<ParticipationPreference> prefs = new ArrayList<>(c.meter().participationPreferences());
            prefs.add(new ParticipationPreference(preference, start, end, reason));
            c.participationPreferences(prefs);
        });
        ObjectNode f = meterFields(m);
        f.put("participation_preference", preference);
        f.put("start_time", start.toString());
        Json.putIfPresent(f, "end_time", end);
        return published(state.platformEvents().publish("meter.enrollment.participation-status.updated", f));
    }

    @PostMapping("/sandbox/meters/{meter_id}/archive")
    public JsonNode archive(@PathVariable("meter_id") String meterId) {
        Meter m = meter(uuid("meter_id", meterId));
        state.meters().update(m.meterId(), c -> c.archived(true));
        return Json.object().put("meter_id", m.meterId().toString()).put("is_archived", true);
    }

    @GetMapping("/sandbox/market-groups")
    public JsonNode marketGroups() {
        ArrayNode list = Json.array();
        for (MarketGroup g : state.meters().marketGroups()) {
            List<Meter> members = state.meters().membersOf(g.id());
            list.addObject()
                    .put("market_group_id", g.id().toString())
                    .put("market_group_name", g.name())
                    .put("transmission_region", g.transmissionRegion())
                    .put("program_identifier", g.programIdentifier())
                    .put("member_count", members.size())
                    .set("meter_ids", Json.strings(members.stream().map(Meter::meterId).toList()));
        }
        return Json.object().set("market_groups", list);
    }

    /** Adds/removes meters to/from a market group and announces the new membership (meter.enrollment.group.updated). */
    @PostMapping("/sandbox/market-groups/{market_group_id}/members")
    public JsonNode changeMembers(@PathVariable("market_group_id") String groupId, @RequestBody(required = false) String body) {
        MarketGroup group = state.meters().marketGroup(uuid("market_group_id", groupId))
                .orElseThrow(() -> new ApiException(404, "unknown market_group_id " + groupId));
        BodyReader r = Bodies.object(body, false);
        List<UUID> add = r.uuids("add", false, 0, 10_000);
        List<UUID> remove = r.uuids("remove", false, 0, 10_000);
        Bodies.check(r);
        for (UUID id : add == null ? List.<UUID>of() : add) {
            Meter m = meter(id);
            state.meters().update(id, c -> c.programEnrollment(joinGroup(c.meter(), group)));
        }
        for (UUID id : remove == null ? List.<UUID>of() : remove) {
            meter(id);
            state.meters().update(id, c -> c.programEnrollment(c.meter().programEnrollment().stream()
                    .map(p -> group.id().equals(p.marketGroupId()) ? p.withMarketGroup(null) : p).toList()));
        }
        ObjectNode f = Json.object();
        f.put("market_group_id", group.id().toString());
        f.put("market_group_name", group.name());
        f.put("start_date_time", group.startDateTime().toString());
        f.put("end_date_time", group.endDateTime().toString());
        f.set("meter_ids", Json.strings(state.meters().membersOf(group.id()).stream().map(Meter::meterId).toList()));
        return published(state.platformEvents().publish("meter.enrollment.group.updated", f));
    }

    /** Publishes any of the seven platform event types with the caller's payload fields (e.g. connect_session.*). */
    @PostMapping("/sandbox/events")
    public JsonNode publish(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, false);
        String type = r.enumValue("webhook_event_type", true, LeapEnums.WEBHOOK_EVENT_TYPES);
        Bodies.check(r);
        ObjectNode fields = ((ObjectNode) r.node()).deepCopy();
        fields.remove("webhook_event_type");
        return published(state.platformEvents().publish(type, fields));
    }

    // ---- injected outages ----------------------------------------------------------------------------------------

    /**
     * Makes the next {@code count} Leap API requests with {@code method} and {@code path} (trailing {@code *}: any path
     * with that prefix) fail, after letting {@code skip} of them through: {@code when=before} (default) answers
     * {@code status} without serving, e.g. a Leap outage in the middle of a meter search walk; {@code when=after}
     * serves the request (the job is created) and then answers {@code status}, or, with only a {@code delay}, the real
     * answer too late for the caller. {@code delay} (ISO-8601, real time) holds back any answer.
     */
    @PostMapping("/sandbox/faults")
    public JsonNode addFault(@RequestBody(required = false) String body) {
        BodyReader r = Bodies.object(body, true);
        String method = r.string("method", false);
        String path = r.string("path", false);
        Integer status = r.integer("status", false, 429, 599);
        Integer skip = r.integer("skip", false, 0, 1_000_000);
        Integer count = r.integer("count", false, 1, 1_000_000);
        String when = r.enumValue("when", false, java.util.Set.of("before", "after"));
        Duration delay = null;
        String delayText = r.string("delay", false);
        if (delayText != null) {
            try {
                delay = Duration.parse(delayText);
                if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(5)) > 0) r.problem("delay", "must be between PT0S and PT5M");
            } catch (DateTimeParseException e) {
                r.problem("delay", "must be an ISO-8601 duration such as PT2S");
            }
        }
        if (status != null && status != 429 && status < 500) r.problem("status", "must be 429 or 5xx");
        if (path != null && !path.startsWith("/v")) r.problem("path", "must be a Leap API path such as /v2/meters/enrollments/search");
        boolean after = "after".equals(when);
        if (status == null && after && delay == null) r.problem("status", "is required unless a delay makes the real answer late");
        Bodies.check(r);
        Integer answer = status != null ? status : (after && delay != null ? null : 503);
        Faults.Fault f = state.faults().add(method == null ? "POST" : method.toUpperCase(java.util.Locale.ROOT),
                path == null ? "/v2/meters/enrollments/search" : path, answer,
                after ? Faults.When.AFTER : Faults.When.BEFORE, delay, skip == null ? 0 : skip, count == null ? 1 : count);
        return fault(f);
    }

    @GetMapping("/sandbox/faults")
    public JsonNode faults() {
        ArrayNode list = Json.array();
        state.faults().all().forEach(f -> list.add(fault(f)));
        return Json.object().set("faults", list);
    }

    @DeleteMapping("/sandbox/faults")
    public JsonNode clearFaults() {
        state.faults().clear();
        return Json.object().put("message", "no injected faults");
    }

    private static ObjectNode fault(Faults.Fault f) {
        ObjectNode o = Json.object().put("method", f.method()).put("path", f.path());
        if (f.status() != null) o.put("status", f.status());
        o.put("when", f.when().name().toLowerCase(java.util.Locale.ROOT));
        if (f.delay() != null) o.put("delay", f.delay().toString());
        return o.put("skip", f.skip()).put("remaining", f.remaining()).put("injected", f.injected());
    }

    // ---- observation ---------------------------------------------------------------------------------------------

    @GetMapping("/sandbox/deliveries")
    public JsonNode deliveries(@RequestParam(name = "kind", required = false) String kind,
                               @RequestParam(name = "delivery_id", required = false) String deliveryId) {
        ArrayNode list = Json.array();
        for (DeliveryAttempt a : state.deliveries().all()) {
            if (kind != null && !kind.equals(a.kind())) continue;
            if (deliveryId != null && !deliveryId.equals(a.deliveryId())) continue;
            list.add(Json.REPORT_MAPPER.valueToTree(a));
        }
        return Json.object().set("deliveries", list);
    }

    @GetMapping("/sandbox/requests")
    public JsonNode requests(@RequestParam(name = "path_prefix", required = false) String pathPrefix,
                             @RequestParam(name = "method", required = false) String method) {
        ArrayNode list = Json.array();
        for (RecordedRequest rr : state.requests().all()) {
            if (pathPrefix != null && !rr.path().startsWith(pathPrefix)) continue;
            if (method != null && !method.equalsIgnoreCase(rr.method())) continue;
            list.add(Json.REPORT_MAPPER.valueToTree(rr));
        }
        return Json.object().set("requests", list);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Meter meter(UUID id) {
        return state.meters().find(id).orElseThrow(() -> new ApiException(404, "unknown meter_id " + id));
    }

    private static UUID uuid(String name, String value) {
        UUID id = BodyReader.parseUuid(value);
        if (id == null) throw ApiException.badRequest(List.of(FieldProblem.of(name, "must be a UUID")));
        return id;
    }

    private List<Meter> randomActiveMeters(int count) {
        List<Meter> active = new ArrayList<>();
        for (Meter m : state.meters().all()) {
            if ("ACTIVE".equals(m.globalEnrollmentStatus()) && !m.archived()) active.add(m);
        }
        if (active.size() < count) throw new ApiException(409, "only " + active.size() + " ACTIVE meters available");
        Random random = state.random();
        Set<Integer> picked = new HashSet<>();
        List<Meter> out = new ArrayList<>();
        synchronized (random) {
            while (out.size() < count) {
                int i = random.nextInt(active.size());
                if (picked.add(i)) out.add(active.get(i));
            }
        }
        return out;
    }

    private List<Meter> activeMembers(MarketGroup g) {
        return state.meters().membersOf(g.id()).stream().filter(m -> !m.archived()).toList();
    }

    private static List<ProgramEnrollment> joinGroup(Meter m, MarketGroup group) {
        List<ProgramEnrollment> out = new ArrayList<>();
        boolean joined = false;
        for (ProgramEnrollment p : m.programEnrollment()) {
            if (!joined && p.programIdentifier().equals(group.programIdentifier())) {
                out.add(p.withMarketGroup(group));
                joined = true;
            } else {
                out.add(p);
            }
        }
        if (!joined) {
            out.add(new ProgramEnrollment(group.programIdentifier(), group.deliveryPeriod(), group.startDateTime(),
                    group.endDateTime(), m.globalEnrollmentStatus(), group.startDateTime().minus(14, ChronoUnit.DAYS),
                    group.startDateTime(), group.id(), group.name()));
        }
        return out;
    }

    private static List<String> programsFor(SlotOptions options, String region) {
        return options.programs != null ? options.programs : List.of(DEFAULT_PROGRAM.getOrDefault(region, "CCA"));
    }

    private static ObjectNode meterFields(Meter m) {
        ObjectNode f = Json.object();
        f.put("meter_id", m.meterId().toString());
        f.put("partner_reference", m.partnerReference());
        f.put("transmission_region", m.transmissionRegion());
        f.put("meter_type", m.meterType());
        return f;
    }

    private static JsonNode sent(Dispatcher.Sent sent) {
        ObjectNode o = Json.object();
        o.put("delivered", sent.deliveryId() != null);
        o.put("delivery_id", sent.deliveryId());
        o.set("notification", sent.notification());
        return o;
    }

    private static JsonNode published(PlatformEvents.Published p) {
        ObjectNode o = Json.object();
        o.set("event", p.event());
        o.set("delivery_ids", Json.strings(p.deliveryIds()));
        return o;
    }

    private static JsonNode attempt(DeliveryAttempt a) {
        return Json.REPORT_MAPPER.valueToTree(a);
    }

    /** Shape of the timeslots a control call creates; each option has a Leap-like default. */
    static final class SlotOptions {
        Duration startOffset = Duration.ofHours(1);
        Duration duration = Duration.ofHours(1);
        int timeslots = 1;
        boolean energyGiven;
        Double energyKw = 80.0;
        Double nominationKw = 100.0;
        int priority = 1;
        boolean voluntary;
        String cap = "up-to-site-load";
        List<String> eventTypes = List.of("day-ahead");
        List<String> programs;

        static SlotOptions parse(BodyReader r) {
            SlotOptions o = new SlotOptions();
            Duration offset = duration(r, "start_offset");
            if (offset != null) o.startOffset = offset;
            Duration d = duration(r, "duration");
            if (d != null) o.duration = d;
            Integer n = r.integer("timeslots", false, 1, 96);
            if (n != null) o.timeslots = n;
            if (r.node().has("energy_kw")) o.energyKw = r.number("energy_kw", false, 0.01, 100_000);
            if (r.node().has("nomination_kw")) o.nominationKw = r.number("nomination_kw", false, 0.01, 100_000);
            Integer p = r.integer("priority", false, 1, 10);
            if (p != null) o.priority = p;
            o.voluntary = r.bool("is_voluntary", false);
            String cap = r.enumValue("performance_compensation_cap", false, LeapEnums.PERFORMANCE_COMPENSATION_CAPS);
            if (cap != null) o.cap = cap;
            List<String> types = r.strings("dispatch_event_types", false, 1, 5, LeapEnums.DISPATCH_EVENT_TYPES, null);
            if (types != null) o.eventTypes = types;
            o.programs = r.strings("programs", false, 1, 10, LeapEnums.DISPATCH_PROGRAMS, null);
            return o;
        }

        List<DispatchTimeslot> timeslots(List<String> programs) {
            Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(startOffset);
            List<DispatchTimeslot> out = new ArrayList<>();
            for (int i = 0; i < timeslots; i++) {
                Instant start = first.plus(duration.multipliedBy(i));
                out.add(new DispatchTimeslot(UUID.randomUUID(), start, start.plus(duration), false, energyKw, nominationKw,
                        priority, voluntary, cap, eventTypes, programs, false));
            }
            return out;
        }

        static DispatchTimeslot update(DispatchTimeslot t, BodyReader r) {
            Instant start = r.present("start_time") ? r.dateTime("start_time", false) : t.startTime();
            Instant end = r.present("end_time") ? r.dateTime("end_time", false) : t.endTime();
            Double energy = r.node().has("energy_kw") ? r.number("energy_kw", false, 0.01, 100_000) : t.energyKw();
            Double nomination = r.node().has("nomination_kw") ? r.number("nomination_kw", false, 0.01, 100_000) : t.nominationKw();
            Integer priority = r.integer("priority", false, 1, 10);
            Boolean voluntary = r.bool("is_voluntary");
            Boolean cancelled = r.bool("cancelled");
            String cap = r.enumValue("performance_compensation_cap", false, LeapEnums.PERFORMANCE_COMPENSATION_CAPS);
            List<String> types = r.strings("dispatch_event_types", false, 1, 5, LeapEnums.DISPATCH_EVENT_TYPES, null);
            List<String> programs = r.strings("programs", false, 1, 10, LeapEnums.DISPATCH_PROGRAMS, null);
            return new DispatchTimeslot(t.eventId(), start != null ? start : t.startTime(), end != null ? end : t.endTime(),
                    cancelled != null ? cancelled : t.cancelled(), energy, nomination,
                    priority != null ? priority : t.priority(), voluntary != null ? voluntary : t.voluntary(),
                    cap != null ? cap : t.performanceCompensationCap(), types != null ? types : t.dispatchEventTypes(),
                    programs != null ? programs : t.programs(), t.communicationTest());
        }

        private static Duration duration(BodyReader r, String field) {
            String s = r.string(field, false);
            if (s == null) return null;
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                r.problem(field, "must be an ISO-8601 duration such as PT1H or -PT30M");
                return null;
            }
        }
    }
}
