package io.leapvpp.hub.devices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The overlap rule of the retained plan (docs/device-contract.md, "Overlapping timeslots"): when
 * timeslots of one meter overlap, every one is listed, and for each time range the plan names the one
 * that governs:
 * <ol>
 *   <li>the lowest {@code priority} number (Leap: 1 is the highest priority; no priority ranks last);</li>
 *   <li>on a tie, a non-voluntary event over a voluntary one;</li>
 *   <li>then the event whose current version was updated later;</li>
 *   <li>finally the smaller event id, so the answer never depends on the order of the input.</li>
 * </ol>
 * Ranges are half-open {@code [from, to)}, cut at every start and end, and adjacent ranges with the
 * same winner are merged. Pure: no clock, no I/O.
 */
public final class PlanRule {

    private PlanRule() {
    }

    public record Slot(String eventId, String commandId, Instant start, Instant end, Integer priority,
                       Boolean voluntary, Instant updatedAt) {
    }

    public record Range(Instant from, Instant to, String eventId, String commandId) {
    }

    public static final Comparator<Slot> PRECEDENCE = Comparator
            .comparing((Slot s) -> s.priority() == null ? Integer.MAX_VALUE : s.priority())
            .thenComparing(s -> Boolean.TRUE.equals(s.voluntary()))
            .thenComparing(Slot::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Slot::eventId);

    /** The governing slot for each range of time covered by at least one slot, in time order. */
    public static List<Range> governing(List<Slot> slots) {
        TreeSet<Instant> cuts = new TreeSet<>();
        for (Slot s : slots) {
            if (s.end().isAfter(s.start())) {
                cuts.add(s.start());
                cuts.add(s.end());
            }
        }
        List<Range> ranges = new ArrayList<>();
        Instant previous = null;
        for (Instant cut : cuts) {
            if (previous != null) {
                Instant from = previous;
                Instant to = cut;
                slots.stream()
                        .filter(s -> !s.start().isAfter(from) && !s.end().isBefore(to) && s.end().isAfter(s.start()))
                        .min(PRECEDENCE)
                        .ifPresent(winner -> {
                            Range last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                            if (last != null && last.to().equals(from) && last.eventId().equals(winner.eventId())) {
                                ranges.set(ranges.size() - 1, new Range(last.from(), to, winner.eventId(), winner.commandId()));
                            } else {
                                ranges.add(new Range(from, to, winner.eventId(), winner.commandId()));
                            }
                        });
            }
            previous = cut;
        }
        return ranges;
    }
}
