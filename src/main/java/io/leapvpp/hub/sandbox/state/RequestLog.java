package io.leapvpp.hub.sandbox.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The most recent API requests, oldest first. */
public final class RequestLog {

    private final int capacity;
    private final Deque<RecordedRequest> entries = new ArrayDeque<>();
    private long sequence;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized long nextSequence() {
        return ++sequence;
    }

    public synchronized void add(RecordedRequest r) {
        entries.addLast(r);
        while (entries.size() > capacity) entries.removeFirst();
    }

    public synchronized List<RecordedRequest> all() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
