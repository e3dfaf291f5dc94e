package io.leapvpp.hub.sandbox.state;

import java.util.List;

/** One page of a meter search; {@code nextPageToken} is null on the last page. */
public record MeterPage(List<Meter> meters, String nextPageToken) {
}
