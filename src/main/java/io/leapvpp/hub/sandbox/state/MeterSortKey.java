package io.leapvpp.hub.sandbox.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.UUID;

/**
 * Position of a meter in the stable search order (created_at, meter_id). Paging tokens encode such a position, so a
 * walk never repeats or skips a meter even while others are created.
 */
public record MeterSortKey(Instant createdAt, UUID meterId) implements Comparable<MeterSortKey> {

    private static final Comparator<MeterSortKey> ORDER =
            Comparator.comparing(MeterSortKey::createdAt).thenComparing(MeterSortKey::meterId);
    private static final String PREFIX = "m1:";

    @Override
    public int compareTo(MeterSortKey o) {
        return ORDER.compare(this, o);
    }

    public String toPageToken() {
        String raw = PREFIX + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + meterId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the token was not issued by the sandbox */
    public static MeterSortKey fromPageToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!raw.startsWith(PREFIX)) throw new IllegalArgumentException("not a page token");
            String[] parts = raw.substring(PREFIX.length()).split(":");
            return new MeterSortKey(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid page_token", e);
        }
    }
}
