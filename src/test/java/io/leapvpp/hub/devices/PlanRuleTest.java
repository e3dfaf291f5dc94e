package io.leapvpp.hub.devices;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The overlap rule of docs/device-contract.md, as a pure function. */
class PlanRuleTest {

    static final Instant T = Instant.parse("2026-07-01T18:00:00Z");

    static Instant at(int minutes) {
        return T.plusSeconds(60L * minutes);
    }

    static PlanRule.Slot slot(String id, int from, int to, Integer priority, Boolean voluntary, int updatedMinute) {
        return new PlanRule.Slot(id, "cmd-" + id, at(from), at(to), priority, voluntary, at(updatedMinute - 1000));
    }

    static List<String> winners(List<PlanRule.Range> ranges) {
        return ranges.stream().map(r -> r.eventId() + "[" + (r.from().getEpochSecond() - T.getEpochSecond()) / 60 + ","
                + (r.to().getEpochSecond() - T.getEpochSecond()) / 60 + ")").toList();
    }

    @Test
    void noOverlapListsEachSlotOnItsOwn() {
        assertThat(winners(PlanRule.governing(List.of(slot("a", 0, 30, 2, false, 0), slot("b", 30, 60, 3, false, 0)))))
                .containsExactly("a[0,30)", "b[30,60)");
    }

    @Test
    void theLowestPriorityNumberGovernsTheOverlapOnly() {
        assertThat(winners(PlanRule.governing(List.of(slot("low", 0, 60, 2, false, 0), slot("high", 30, 90, 1, false, 0)))))
                .containsExactly("low[0,30)", "high[30,90)");
    }

    @Test
    void aHigherPrioritySlotInsideALongerOneSplitsIt() {
        assertThat(winners(PlanRule.governing(List.of(slot("long", 0, 120, 3, false, 0), slot("peak", 30, 60, 1, false, 0)))))
                .containsExactly("long[0,30)", "peak[30,60)", "long[60,120)");
    }

    @Test
    void onEqualPriorityNonVoluntaryBeatsVoluntary() {
        assertThat(winners(PlanRule.governing(List.of(slot("vol", 0, 60, 1, true, 5), slot("firm", 0, 60, 1, false, 0)))))
                .containsExactly("firm[0,60)");
        // priority still comes first: a voluntary priority 1 beats a firm priority 2
        assertThat(winners(PlanRule.governing(List.of(slot("vol", 0, 60, 1, true, 0), slot("firm", 0, 60, 2, false, 0)))))
                .containsExactly("vol[0,60)");
    }

    @Test
    void thenTheLaterUpdatedVersionWins() {
        assertThat(winners(PlanRule.governing(List.of(slot("old", 0, 60, 1, false, 1), slot("new", 10, 60, 1, false, 2)))))
                .containsExactly("old[0,10)", "new[10,60)");
    }

    @Test
    void missingPriorityRanksLastAndMissingVoluntaryCountsAsFirm() {
        assertThat(winners(PlanRule.governing(List.of(slot("none", 0, 60, null, false, 9), slot("p5", 0, 60, 5, null, 0)))))
                .containsExactly("p5[0,60)");
    }

    @Test
    void theResultDoesNotDependOnInputOrderAndGapsStayUncovered() {
        List<PlanRule.Slot> slots = new ArrayList<>(List.of(slot("a", 0, 30, 1, false, 0), slot("b", 0, 30, 1, false, 0),
                slot("c", 60, 90, 2, true, 0)));
        List<String> first = winners(PlanRule.governing(slots));
        Collections.reverse(slots);
        assertThat(winners(PlanRule.governing(slots))).isEqualTo(first).containsExactly("a[0,30)", "c[60,90)");
    }

    @Test
    void emptyInputGivesNoRanges() {
        assertThat(PlanRule.governing(List.of())).isEmpty();
    }
}
