package io.leapvpp.hub.sandbox.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Injected failures of Leap's API (control API {@code /sandbox/faults}): the next {@code count} requests with the given
 * method and path answer {@code status} in the service's error envelope, optionally after letting {@code skip} matching
 * requests through first. Simulates a Leap outage in the middle of a paging walk.
 */
public final class Faults {

    /** One armed fault; {@code skip} and {@code remaining} count down as matching requests arrive. */
    public static final class Fault {
        private final String method;
        private final String path;
        private final int status;
        private int skip;
        private int remaining;
        private int injected;

        public Fault(String method, String path, int status, int skip, int count) {
            this.method = method;
            this.path = path;
            this.status = status;
            this.skip = skip;
            this.remaining = count;
        }

        public String method() { return method; }
        public String path() { return path; }
        public int status() { return status; }
        public synchronized int skip() { return skip; }
        public synchronized int remaining() { return remaining; }
        public synchronized int injected() { return injected; }
    }

    private final List<Fault> faults = new ArrayList<>();

    public synchronized Fault add(String method, String path, int status, int skip, int count) {
        Fault f = new Fault(method, path, status, skip, count);
        faults.add(f);
        return f;
    }

    /** The status to answer instead of serving the request, or null to serve it. */
    public synchronized Integer match(String method, String path) {
        for (Fault f : faults) {
            if (f.remaining <= 0 || !f.method.equalsIgnoreCase(method) || !f.path.equals(path)) continue;
            if (f.skip > 0) {
                f.skip--;
                return null;
            }
            f.remaining--;
            f.injected++;
            return f.status;
        }
        return null;
    }

    public synchronized List<Fault> all() {
        return List.copyOf(faults);
    }

    public synchronized void clear() {
        faults.clear();
    }
}
