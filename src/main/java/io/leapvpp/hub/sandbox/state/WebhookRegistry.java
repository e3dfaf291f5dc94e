package io.leapvpp.hub.sandbox.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Dispatch webhooks (one meter URL, one group URL per account) and general-platform subscriptions. */
public final class WebhookRegistry {

    private PushTarget meterDispatch;
    private PushTarget groupDispatch;
    private final Map<UUID, Subscription> subscriptions = new LinkedHashMap<>();

    public synchronized void clear() {
        meterDispatch = null;
        groupDispatch = null;
        subscriptions.clear();
    }

    public synchronized Optional<PushTarget> meterDispatch() { return Optional.ofNullable(meterDispatch); }
    public synchronized Optional<PushTarget> groupDispatch() { return Optional.ofNullable(groupDispatch); }
    public synchronized void meterDispatch(PushTarget t) { meterDispatch = t; }
    public synchronized void groupDispatch(PushTarget t) { groupDispatch = t; }

    public synchronized List<Subscription> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    public synchronized Optional<Subscription> subscription(UUID id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    public synchronized void put(Subscription s) {
        subscriptions.put(s.webhookId(), s);
    }

    public synchronized boolean remove(UUID id) {
        return subscriptions.remove(id) != null;
    }

    public synchronized List<Subscription> subscribedTo(String eventType) {
        return subscriptions.values().stream().filter(s -> s.eventTypes().contains(eventType)).toList();
    }
}
