package io.leapvpp.hub.leap;

/** A cursor walk was aborted: Leap repeated a cursor, or the walk exceeded {@code hub.leap.paging.max-pages}. */
public class LeapPagingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int pagesFetched;

    public LeapPagingException(String message, int pagesFetched) {
        super(message);
        this.pagesFetched = pagesFetched;
    }

    public int pagesFetched() {
        return pagesFetched;
    }
}
