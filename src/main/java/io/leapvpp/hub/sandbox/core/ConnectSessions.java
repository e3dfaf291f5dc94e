package io.leapvpp.hub.sandbox.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.state.ConnectSession;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Customers going through Leap Connect (GUIDE §3.2): each step publishes what Leap publishes, the envelope of
 * asyncapi/events.yml with Leap's fields only: {@code connect_session.updated {partner_reference, status}} and
 * {@code connect_session.authorization_updated {partner_reference, utility_name, status}}. A session is keyed by its
 * reference; starting again starts a new session (as a new tab does at Leap). Completing may create the customer's
 * meter after a (scaled) delay, announced with {@code meter.created} like Leap does once the utility data arrived.
 */
public final class ConnectSessions {

    /** The utility a customer logs in to when the control call names none. */
    static final Map<String, String> DEFAULT_UTILITY = Map.of("CAISO", "PGE", "NYISO", "CECONY", "PJM", "COMED", "ERCOT", "ONCOR");

    private final SandboxSettings settings;
    private final ScheduledExecutorService scheduler;
    private final MeterStore meters;
    private final PlatformEvents events;
    private final Map<String, ConnectSession> sessions = new ConcurrentHashMap<>();

    ConnectSessions(SandboxSettings settings, ScheduledExecutorService scheduler, MeterStore meters, PlatformEvents events) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.meters = meters;
        this.events = events;
    }

    /** What a step did: the session after it and the events it published. */
    public record Step(ConnectSession session, List<PlatformEvents.Published> published) {
    }

    /** Refused steps (e.g. advancing a CLOSED session): answered 409. */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    public void clear() {
        sessions.clear();
    }

    public Collection<ConnectSession> all() {
        return sessions.values();
    }

    public Optional<ConnectSession> find(String partnerReference) {
        return Optional.ofNullable(sessions.get(partnerReference));
    }

    /** The customer opened the link: a new session, CREATED. */
    public Step start(String partnerReference, String transmissionRegion) {
        ConnectSession previous = sessions.get(partnerReference);
        ConnectSession session = new ConnectSession(partnerReference, previous == null ? 1 : previous.number() + 1,
                transmissionRegion, Instant.now());
        sessions.put(partnerReference, session);
        return new Step(session, List.of(sessionUpdated(session)));
    }

    /** The customer moved to the next step: UPDATED. */
    public Step advance(String partnerReference) {
        ConnectSession session = open(partnerReference);
        session.status("UPDATED");
        return new Step(session, List.of(sessionUpdated(session)));
    }

    /**
     * A utility authorization changed: INITIATED (login screen reached), COMPLETED, FAILED. With {@code status} null the
     * customer logs in successfully: INITIATED, then COMPLETED (two events, delivered independently like Leap's).
     */
    public Step authorize(String partnerReference, String utility, String status) {
        ConnectSession session = open(partnerReference);
        String name = utility != null ? utility : DEFAULT_UTILITY.getOrDefault(session.transmissionRegion(), "PGE");
        List<PlatformEvents.Published> published = new ArrayList<>();
        for (String s : status != null ? List.of(status) : List.of("INITIATED", "COMPLETED")) {
            session.authorization(name, s);
            ObjectNode f = Json.object();
            f.put("partner_reference", partnerReference);
            f.put("utility_name", name);
            f.put("status", s);
            published.add(events.publish("connect_session.authorization_updated", f));
        }
        return new Step(session, published);
    }

    /** The customer left early (e.g. rejected the agreement): CLOSED. */
    public Step close(String partnerReference) {
        ConnectSession session = open(partnerReference);
        session.status("CLOSED");
        return new Step(session, List.of(sessionUpdated(session)));
    }

    /** The customer just stops: Leap publishes nothing, the session stays where it was. */
    public Step abandon(String partnerReference) {
        ConnectSession session = open(partnerReference);
        session.abandon();
        return new Step(session, List.of());
    }

    /**
     * The customer finished: COMPLETED. With {@code meterAfter} set, Leap creates the customer's UTILITY_METER (its
     * refId as partner_reference and connection reference) after that (scaled) delay and publishes meter.created.
     */
    public Step complete(String partnerReference, Duration meterAfter) {
        ConnectSession session = open(partnerReference);
        session.status("COMPLETED");
        Step step = new Step(session, List.of(sessionUpdated(session)));
        createMeterLater(session, meterAfter);
        return step;
    }

    /**
     * Leap received the customer's utility data and creates the meter after {@code after} (scaled), whatever the
     * session's state: after a completed utility authorization the forms may still be unfinished.
     */
    public Step createMeter(String partnerReference, Duration after) {
        ConnectSession session = sessions.get(partnerReference);
        if (session == null) {
            throw new IllegalArgumentException("no Connect session for partner_reference " + partnerReference + "; start one first");
        }
        createMeterLater(session, after);
        return new Step(session, List.of());
    }

    private void createMeterLater(ConnectSession session, Duration after) {
        if (after == null) {
            return;
        }
        try {
            scheduler.schedule(() -> createMeter(session), settings.scaled(after).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // sandbox stopping
        }
    }

    private void createMeter(ConnectSession session) {
        Optional<Meter> existing = meters.findByPartnerReference(session.partnerReference());
        if (existing.isPresent()) {
            session.meterId(existing.get().meterId().toString());
            return;
        }
        ObjectNode asset = Json.object();
        asset.put("partner_reference", session.partnerReference());
        asset.put("transmission_region", session.transmissionRegion());
        asset.put("customer_classification", "COMMERCIAL");
        asset.putArray("load_types").add("HVAC");
        asset.put("meter_type", "UTILITY_METER");
        asset.putObject("customer").put("country_code", "US").put("partner_customer_reference", session.partnerReference());
        Map<String, String> authorizations = session.authorizations();
        String utility = authorizations.entrySet().stream().filter(e -> "COMPLETED".equals(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElse(DEFAULT_UTILITY.getOrDefault(session.transmissionRegion(), "PGE"));
        asset.putObject("utility").put("utility_name", utility);
        Meter m = meters.create(asset, "UTILITY");
        meters.update(m.meterId(), c -> c.connectionReferences(List.of(session.partnerReference())));
        session.meterId(m.meterId().toString());
        events.meterCreated(m);
    }

    private ConnectSession open(String partnerReference) {
        ConnectSession session = sessions.get(partnerReference);
        if (session == null) {
            throw new IllegalArgumentException("no Connect session for partner_reference " + partnerReference + "; start one first");
        }
        if (session.ended()) {
            throw new Conflict("the Connect session of " + partnerReference + " is " + session.status() + "; start a new one");
        }
        return session;
    }

    private PlatformEvents.Published sessionUpdated(ConnectSession session) {
        ObjectNode f = Json.object();
        f.put("partner_reference", session.partnerReference());
        f.put("status", session.status());
        return events.publish("connect_session.updated", f);
    }
}
