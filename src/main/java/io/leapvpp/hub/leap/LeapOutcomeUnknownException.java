package io.leapvpp.hub.leap;

/**
 * A non-idempotent call (one that creates something at Leap) failed in a way that does not tell
 * whether Leap processed it: a 5xx, a read timeout or a connection dropped after the request was sent.
 * It was <b>not</b> retried. Check Leap's state (e.g. list the batch jobs / webhooks) before trying again.
 */
public class LeapOutcomeUnknownException extends LeapApiException {

    private static final long serialVersionUID = 1L;

    public LeapOutcomeUnknownException(LeapApiException source) {
        super("Outcome unknown (request may have been processed; not retried, check state before re-sending): ",
                source, source.getCause() != null ? source.getCause() : source);
    }
}
