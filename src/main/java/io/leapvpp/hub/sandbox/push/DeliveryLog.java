package io.leapvpp.hub.sandbox.push;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Every push attempt, oldest first, capped so a long benchmark cannot exhaust memory. */
public final class DeliveryLog {

    private static final int CAPACITY = 20_000;
    private final Deque<DeliveryAttempt> attempts = new ArrayDeque<>();

    public synchronized void add(DeliveryAttempt a) {
        attempts.addLast(a);
        while (attempts.size() > CAPACITY) attempts.removeFirst();
    }

    public synchronized List<DeliveryAttempt> all() {
        return new ArrayList<>(attempts);
    }

    public synchronized List<DeliveryAttempt> ofKind(String kind) {
        return attempts.stream().filter(a -> a.kind().equals(kind)).toList();
    }

    public synchronized List<DeliveryAttempt> ofDelivery(String deliveryId) {
        return attempts.stream().filter(a -> a.deliveryId().equals(deliveryId)).toList();
    }

    public synchronized void clear() {
        attempts.clear();
    }
}
