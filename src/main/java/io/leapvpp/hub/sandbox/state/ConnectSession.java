package io.leapvpp.hub.sandbox.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer's Leap Connect session in the sandbox: what a customer does with a Connect link, played through the
 * control API. {@code status} is Leap's connect_session.updated status; {@code authorizations} the latest
 * connect_session.authorization_updated status per utility.
 */
public final class ConnectSession {

    private final String partnerReference;
    private final int number;
    private final String transmissionRegion;
    private final Instant startedAt;
    private final Map<String, String> authorizations = new LinkedHashMap<>();
    private String status = "CREATED";
    private Instant updatedAt;
    private boolean abandoned;
    private String meterId;

    public ConnectSession(String partnerReference, int number, String transmissionRegion, Instant startedAt) {
        this.partnerReference = partnerReference;
        this.number = number;
        this.transmissionRegion = transmissionRegion;
        this.startedAt = startedAt;
        this.updatedAt = startedAt;
    }

    public String partnerReference() { return partnerReference; }
    public int number() { return number; }
    public String transmissionRegion() { return transmissionRegion; }
    public Instant startedAt() { return startedAt; }
    public synchronized String status() { return status; }
    public synchronized Instant updatedAt() { return updatedAt; }
    public synchronized boolean abandoned() { return abandoned; }
    public synchronized String meterId() { return meterId; }
    public synchronized Map<String, String> authorizations() { return Map.copyOf(authorizations); }

    public synchronized boolean ended() {
        return "CLOSED".equals(status) || "COMPLETED".equals(status);
    }

    public synchronized void status(String s) {
        status = s;
        updatedAt = Instant.now();
        abandoned = false;
    }

    public synchronized void authorization(String utility, String s) {
        authorizations.put(utility, s);
        updatedAt = Instant.now();
        abandoned = false;
    }

    public synchronized void abandon() {
        abandoned = true;
        updatedAt = Instant.now();
    }

    public synchronized void meterId(String id) {
        meterId = id;
    }
}
