package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.DispatchStore;
import io.leapvpp.hub.sandbox.state.Header;
import io.leapvpp.hub.sandbox.state.LeapEnums;
import io.leapvpp.hub.sandbox.state.PushTarget;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Validation of Dispatch v2 request bodies. */
final class DispatchBodies {

    static final Duration MAX_WINDOW = Duration.ofDays(31);

    private DispatchBodies() {
    }

    static PushTarget webhook(BodyReader body) {
        String url = body.string("url", true);
        if (url != null && !isAbsoluteHttpUrl(url)) body.problem("url", "must be an absolute http(s) URL");
        List<Header> headers = headers(body, "headers", "name", "value");
        Bodies.check(body);
        return new PushTarget(url, headers);
    }

    static List<Header> headers(BodyReader body, String field, String nameField, String valueField) {
        List<Header> headers = new ArrayList<>();
        JsonNode h = body.node().get(field);
        if (h == null || h.isNull()) return headers;
        if (!h.isArray()) {
            body.problem(field, "must be an array");
            return headers;
        }
        for (JsonNode item : h) {
            if (!item.path(nameField).isTextual() || item.path(nameField).asText().isBlank() || !item.path(valueField).isTextual()) {
                body.problem(field, "items need a " + nameField + " and a " + valueField);
                return headers;
            }
            headers.add(new Header(item.get(nameField).asText(), item.get(valueField).asText()));
        }
        return headers;
    }

    static boolean isAbsoluteHttpUrl(String url) {
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static DispatchStore.Window window(BodyReader body) {
        Instant start = body.dateTime("start_date", true);
        Instant end = body.dateTime("end_date", true);
        if (start != null && end != null) {
            if (!end.isAfter(start)) body.problem("end_date", "must be after start_date");
            else if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) body.problem("end_date", "must be at most 31 days after start_date");
        }
        boolean excludeRealTime = body.bool("exclude_real_time_events", true);
        boolean excludeVoluntary = body.bool("exclude_voluntary_events", false);
        UUID token = body.uuid("page_token", false);
        return new DispatchStore.Window(start, end, excludeRealTime, excludeVoluntary, token);
    }

    /** Checks the caller-supplied dispatches of an integration test against the spec's schema. */
    static void dispatches(BodyReader body, boolean group) {
        String field = group ? "group_dispatches" : "meter_dispatches";
        JsonNode list = body.node().get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            body.problem(field, "must be a non-empty array");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            BodyReader d = body.element(item, i);
            if (!item.isObject()) {
                d.problem(field, "items must be objects");
                continue;
            }
            if (group) {
                d.uuid("market_group_id", true);
                d.uuids("meter_ids", true, 0, 100_000);
                d.strings("partner_references", false, 0, 100_000, null, null);
            } else {
                d.uuid("meter_id", true);
                d.string("partner_reference", false);
            }
            JsonNode slots = item.get("timeslots");
            if (slots == null || !slots.isArray() || slots.isEmpty()) {
                d.problem("timeslots", "must be a non-empty array");
                continue;
            }
            for (JsonNode slot : slots) {
                BodyReader t = d.element(slot, i);
                t.uuid(group ? "market_group_event_id" : "meter_event_id", true);
                timeslotFields(t);
            }
        }
    }

    static void timeslotFields(BodyReader t) {
        Instant start = t.dateTime("start_time", true);
        Instant end = t.dateTime("end_time", true);
        if (start != null && end != null && !end.isAfter(start)) t.problem("end_time", "must be after start_time");
        if (t.bool("cancelled") == null && !t.present("cancelled")) t.problem("cancelled", "is required");
        t.number("energy_kw", false, 0.01, 100_000);
        t.number("nomination_kw", false, 0.01, 100_000);
        t.integer("priority", true, 1, 10);
        if (t.bool("is_voluntary") == null && !t.present("is_voluntary")) t.problem("is_voluntary", "is required");
        t.enumValue("performance_compensation_cap", true, LeapEnums.PERFORMANCE_COMPENSATION_CAPS);
        t.strings("dispatch_event_types", true, 1, 10, LeapEnums.DISPATCH_EVENT_TYPES, null);
        t.strings("programs", true, 1, 40, LeapEnums.DISPATCH_PROGRAMS, null);
    }
}
