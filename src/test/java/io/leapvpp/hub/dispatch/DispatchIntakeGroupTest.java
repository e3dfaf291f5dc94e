package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.dispatch.DispatchIntake.Intake;
import io.leapvpp.hub.dispatch.DispatchIntake.Result;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.hoursFromNow;
import static io.leapvpp.hub.dispatch.DispatchTestSupport.ref;
import static io.leapvpp.hub.dispatch.DispatchTestSupport.single;
import static io.leapvpp.hub.dispatch.DispatchTestSupport.timeslot;
import static org.assertj.core.api.Assertions.assertThat;

/** Several notifications in one transaction (group commit), against the real database. */
class DispatchIntakeGroupTest extends DispatchIntakeTest {

    @Autowired
    DispatchIntake intake;
    @Autowired
    DispatchNotificationParser parser;
    @Autowired
    JdbcTemplate jdbc;

    private Intake webhook(ObjectNode body) {
        return new Intake(parser.parse(DispatchKind.METER, body.toString()), "WEBHOOK");
    }

    @Test
    void notificationsOfOneGroupAreAppliedInArrivalOrderEachWithItsOwnOutcome() {
        UUID event = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID meter = UUID.randomUUID();
        String reference = ref();
        ObjectNode original = single(meter, reference, timeslot("meter_event_id", event, hoursFromNow(3)));
        ObjectNode update = single(meter, reference, timeslot("meter_event_id", event, hoursFromNow(3)).put("energy_kw", 4.25));
        ObjectNode another = single(meter, reference, timeslot("meter_event_id", other, hoursFromNow(5)));

        List<Result> results = intake.acceptAll(List.of(webhook(original), webhook(update), webhook(another), webhook(update)));

        assertThat(results).extracting(Result::created).containsExactly(1, 0, 1, 0);
        assertThat(results).extracting(Result::updated).containsExactly(0, 1, 0, 0);
        assertThat(results).extracting(Result::unchanged).containsExactly(0, 0, 0, 1);
        assertThat(results).extracting(Result::commands).containsExactly(1, 1, 1, 0);
        assertThat(results).extracting(Result::notificationId).doesNotContainNull().doesNotHaveDuplicates();
        // every webhook notification is stored, and each version points at the notification that brought it
        assertThat(jdbc.queryForList("SELECT notification_id FROM dispatch_event_version WHERE event_id = ? ORDER BY version",
                Long.class, event)).containsExactly(results.get(0).notificationId(), results.get(1).notificationId());
        assertThat(jdbc.queryForObject("SELECT version FROM dispatch_event WHERE event_id = ?", Integer.class, event)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT energy_kw::text FROM dispatch_event WHERE event_id = ?", String.class, event))
                .startsWith("4.25");
        assertThat(jdbc.queryForList("SELECT status FROM device_command WHERE event_id = ? ORDER BY event_version", String.class, event))
                .containsExactly("SUPERSEDED", "PENDING");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE id = ANY(?)", Integer.class,
                (Object) results.stream().map(Result::notificationId).toArray(Long[]::new))).isEqualTo(4);
    }

    @Test
    void aPolledNotificationThatChangesNothingIsNotStoredEvenInAGroup() {
        UUID event = UUID.randomUUID();
        ObjectNode body = single(UUID.randomUUID(), ref(), timeslot("meter_event_id", event, hoursFromNow(4)));
        DispatchNotification n = parser.parse(DispatchKind.METER, body.toString());

        List<Result> results = intake.acceptAll(List.of(new Intake(n, "WEBHOOK"), new Intake(n, "POLL")));

        assertThat(results.get(0).created()).isEqualTo(1);
        assertThat(results.get(1).unchanged()).isEqualTo(1);
        assertThat(results.get(1).notificationId()).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dispatch_notification WHERE body::text LIKE ?", Integer.class,
                "%" + event + "%")).isEqualTo(1);
    }
}
