package io.leapvpp.hub.leap;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of a cursor walk.
 *
 * @param number        1-based page number within the walk
 * @param items         the items of this page (the configured items field)
 * @param nextPageToken cursor for the next page, null on the last page
 * @param response      the whole response (for summaries and other top-level fields)
 */
public record LeapPage(int number, List<JsonNode> items, String nextPageToken, JsonNode response) {

    public boolean last() {
        return nextPageToken == null;
    }
}
