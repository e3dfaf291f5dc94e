package io.leapvpp.hub.sandbox.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Injected failures of Leap's API (control API {@code /sandbox/faults}). The next {@code count} requests with the given
 * method and path (a trailing {@code *} matches any path with that prefix), after {@code skip} matching requests were
 * let through, fail in one of two ways:
 * <ul>
 *   <li>{@code when = before} (default): not served; answered {@code status} in the service's error envelope. A Leap
 *       outage in the middle of a paging walk, a 5xx while polling a job.</li>
 *   <li>{@code when = after}: served (a job is created, a meter written), then the answer is replaced by {@code status},
 *       or, with {@code delay} and no status, sent only after {@code delay}, by when the client has given up waiting.
 *       The outcome a client cannot know, which a non-idempotent call must survive without repeating blindly.</li>
 * </ul>
 * {@code delay} (real time, not scaled) holds back whatever answer is sent.
 */
public final class Faults {

    public enum When { BEFORE, AFTER }

    /** One armed fault; {@code skip} and {@code remaining} count down as matching requests arrive. */
    public static final class Fault {
        private final String method;
        private final String path;
        private final Integer status;
        private final When when;
        private final Duration delay;
        private int skip;
        private int remaining;
        private int injected;

        public Fault(String method, String path, Integer status, When when, Duration delay, int skip, int count) {
            this.method = method;
            this.path = path;
            this.status = status;
            this.when = when == null ? When.BEFORE : when;
            this.delay = delay;
            this.skip = skip;
            this.remaining = count;
        }

        public String method() { return method; }
        public String path() { return path; }
        /** The status answered instead of the real one; null = the real answer (late, see {@link #delay()}). */
        public Integer status() { return status; }
        public When when() { return when; }
        public Duration delay() { return delay; }
        public synchronized int skip() { return skip; }
        public synchronized int remaining() { return remaining; }
        public synchronized int injected() { return injected; }

        boolean matches(String requestMethod, String requestPath) {
            if (!method.equalsIgnoreCase(requestMethod)) return false;
            return path.endsWith("*") ? requestPath.startsWith(path.substring(0, path.length() - 1)) : path.equals(requestPath);
        }
    }

    private final List<Fault> faults = new ArrayList<>();

    public synchronized Fault add(String method, String path, Integer status, When when, Duration delay, int skip, int count) {
        Fault f = new Fault(method, path, status, when, delay, skip, count);
        faults.add(f);
        return f;
    }

    /** Before-faults compatible shorthand: answer {@code status} without serving. */
    public synchronized Fault add(String method, String path, int status, int skip, int count) {
        return add(method, path, status, When.BEFORE, null, skip, count);
    }

    /** The fault to apply to this request, or null to serve it normally. */
    public synchronized Fault match(String method, String path) {
        for (Fault f : faults) {
            if (f.remaining <= 0 || !f.matches(method, path)) continue;
            if (f.skip > 0) {
                f.skip--;
                return null;
            }
            f.remaining--;
            f.injected++;
            return f;
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
