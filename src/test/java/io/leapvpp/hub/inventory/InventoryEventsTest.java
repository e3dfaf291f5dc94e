package io.leapvpp.hub.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.state.Meter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real-time updates from Leap's platform events, against a dedicated sandbox over HTTP and a real PostgreSQL. The
 * events are the ones the sandbox publishes when its control API changes a meter (the shapes of asyncapi/events.yml);
 * each test works on its own meters.
 */
class InventoryEventsTest {

    private static InventoryHarness h;

    @BeforeAll
    static void start() {
        h = new InventoryHarness("inventory_events_test", 300);
        assertThat(h.sync.run(InventorySync.Kind.FULL).metersDistinct()).isEqualTo(300);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void duplicateAndOutOfOrderEventsNeverReplaceNewerStateWithOlder() {
        String meter = activeMeters().get(0);
        JsonNode first = h.control("POST", "/sandbox/meters/" + meter + "/status", Map.of("global_enrollment_status", "INELIGIBLE")).path("event");
        JsonNode snapshotWhileIneligible = h.leap.getMeterEnrollment(meter);

        assertThat(h.events.applyEvent(first).path("outcome").asText()).isEqualTo("APPLIED");
        assertThat(status(meter)).isEqualTo("INELIGIBLE");
        assertThat(eventTypes(meter)).containsExactly("BECAME_INELIGIBLE");

        JsonNode second = h.control("POST", "/sandbox/meters/" + meter + "/status", Map.of("global_enrollment_status", "ELIGIBLE")).path("event");
        h.events.applyEvent(second);
        assertThat(status(meter)).isEqualTo("ELIGIBLE");

        // the first event again, late: a duplicate delivered out of order. Its payload says INELIGIBLE; Leap says ELIGIBLE.
        assertThat(first.path("payload").path("global_enrollment_status").asText()).isEqualTo("INELIGIBLE");
        h.events.applyEvent(first);
        h.events.applyEvent(second);
        assertThat(status(meter)).isEqualTo("ELIGIBLE");
        assertThat(eventTypes(meter)).containsExactly("BECAME_INELIGIBLE", "GLOBAL_STATUS_CHANGED");

        // an older snapshot (e.g. a sync page fetched before the change, written after it) is not written
        MeterInventoryStore.PageResult r = h.tx.execute(s -> h.store.upsertPage(List.of(snapshotWhileIneligible),
                MeterInventoryStore.WriteContext.sync("DELTA", 0)));
        assertThat(r.written()).isZero();
        assertThat(r.stale()).isEqualTo(1);
        assertThat(status(meter)).isEqualTo("ELIGIBLE");
        assertThat(eventTypes(meter)).hasSize(2);
    }

    @Test
    void anEventForAMeterTheHubDoesNotKnowFetchesItFromLeap() {
        String meter = activeMeters().get(1);
        h.jdbc.update("DELETE FROM meter_inventory WHERE meter_id = ?::uuid", meter);
        Meter m = h.sandbox.state().meters().find(UUID.fromString(meter)).orElseThrow();
        ObjectNode created = envelope("meter.created", Map.of("meter_id", meter, "partner_reference", m.partnerReference(),
                "transmission_region", m.transmissionRegion(), "meter_type", m.meterType()));

        assertThat(h.events.applyEvent(created).path("outcome").asText()).isEqualTo("APPLIED");

        assertThat(h.jdbc.queryForObject("SELECT partner_reference FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meter))
                .isEqualTo(m.partnerReference());
        assertThat(h.count("SELECT count(*) FROM meter_program_enrollment WHERE meter_id = ?::uuid", meter))
                .isEqualTo(m.programEnrollment().size());
        assertThat(h.jdbc.queryForList("SELECT gateway_reference FROM meter_gateway WHERE meter_id = ?::uuid", String.class, meter))
                .containsExactly(m.partnerReference());
    }

    @Test
    void anEventForAMeterLeapDoesNotKnowIsRecordedNotThrown() {
        String unknown = UUID.randomUUID().toString();
        ObjectNode event = envelope("meter.enrollment.global-status.updated", Map.of("meter_id", unknown,
                "transmission_region", "CAISO", "global_enrollment_status", "ACTIVE"));

        JsonNode result = h.events.applyEvent(event);

        assertThat(result.path("outcome").asText()).isEqualTo("NOT_FOUND");
        assertThat(h.count("SELECT count(*) FROM meter_inventory WHERE meter_id = ?::uuid", unknown)).isZero();
        assertThat(h.jdbc.queryForList("SELECT event_type || ' ' || webhook_event_id FROM inventory_event WHERE meter_id = ?::uuid",
                String.class, unknown)).containsExactly("NOT_FOUND_AT_LEAP " + event.path("webhook_event_id").asText());
    }

    @Test
    void aGroupMembershipChangeKeepsTheHistoryAndRecordsAnInventoryEvent() {
        JsonNode group = null;
        for (JsonNode g : h.control("GET", "/sandbox/market-groups", null).path("market_groups")) {
            if (g.path("member_count").asInt() >= 5) {
                group = g;
                break;
            }
        }
        assertThat(group).as("a seeded group with members").isNotNull();
        UUID groupId = UUID.fromString(group.path("market_group_id").asText());
        List<String> takenByOtherTests = activeMeters();
        String leaving = null;
        for (JsonNode id : group.path("meter_ids")) {
            if (!takenByOtherTests.contains(id.asText())) {
                leaving = id.asText();
                break;
            }
        }
        assertThat(openMemberships(leaving, groupId)).isEqualTo(1);

        JsonNode left = h.control("POST", "/sandbox/market-groups/" + groupId + "/members", Map.of("remove", List.of(leaving))).path("event");
        JsonNode result = h.events.applyEvent(left);

        assertThat(result.path("outcome").asText()).isEqualTo("APPLIED");
        assertThat(openMemberships(leaving, groupId)).isZero();
        assertThat(h.count("SELECT count(*) FROM market_group_member WHERE meter_id = ?::uuid AND market_group_id = ?"
                + " AND left_at IS NOT NULL", leaving, groupId)).as("history kept").isEqualTo(1);
        assertThat(h.count("SELECT count(*) FROM inventory_event WHERE event_type = 'LEFT_GROUP' AND meter_id = ?::uuid"
                + " AND market_group_id = ? AND webhook_event_id = ?", leaving, groupId, left.path("webhook_event_id").asText())).isEqualTo(1);
        // the other members were not touched (only the meters that joined or left are re-read)
        assertThat(result.path("meter_ids")).hasSize(1);

        // back in: a new membership row with the event's validity; the old one stays closed
        JsonNode joined = h.control("POST", "/sandbox/market-groups/" + groupId + "/members", Map.of("add", List.of(leaving))).path("event");
        h.events.applyEvent(joined);
        h.events.applyEvent(joined); // duplicate: no second row, no second event
        assertThat(h.count("SELECT count(*) FROM market_group_member WHERE meter_id = ?::uuid AND market_group_id = ?", leaving, groupId)).isEqualTo(2);
        Map<String, Object> open = h.jdbc.queryForMap("SELECT valid_from, valid_to FROM market_group_member WHERE meter_id = ?::uuid"
                + " AND market_group_id = ? AND left_at IS NULL", leaving, groupId);
        assertThat(((java.sql.Timestamp) open.get("valid_from")).toInstant())
                .isEqualTo(Instant.parse(joined.path("payload").path("start_date_time").asText()));
        assertThat(((java.sql.Timestamp) open.get("valid_to")).toInstant())
                .isEqualTo(Instant.parse(joined.path("payload").path("end_date_time").asText()));
        assertThat(h.count("SELECT count(*) FROM inventory_event WHERE event_type = 'JOINED_GROUP' AND meter_id = ?::uuid", leaving)).isEqualTo(1);
        assertThat(h.jdbc.queryForObject("SELECT market_group_name FROM market_group WHERE market_group_id = ?", String.class, groupId))
                .isEqualTo(group.path("market_group_name").asText());
    }

    @Test
    void requiredActionsAreResolvedByAnEmptyList() {
        Meter pending = h.sandbox.state().meters().all().stream()
                .filter(m -> !m.partnerActions().isEmpty() && !m.archived()).findFirst().orElseThrow();
        String meter = pending.meterId().toString();
        int before = pending.partnerActions().size();
        assertThat(h.count("SELECT count(*) FROM meter_required_action WHERE meter_id = ?::uuid AND party = 'partner'", meter)).isEqualTo(before);

        JsonNode resolved = h.control("POST", "/sandbox/meters/" + meter + "/required-actions", Map.of("partner", List.of())).path("event");
        assertThat(resolved.path("payload").path("required_actions").isEmpty()).as("Leap's 'all resolved' shape").isTrue();
        h.events.applyEvent(resolved);

        assertThat(h.count("SELECT count(*) FROM meter_required_action WHERE meter_id = ?::uuid AND party = 'partner'", meter)).isZero();
        assertThat(h.count("SELECT count(*) FROM inventory_event WHERE event_type = 'REQUIRED_ACTION_RESOLVED' AND meter_id = ?::uuid", meter))
                .isEqualTo(before);
    }

    @Test
    void aParticipationChangeIsStored() {
        String meter = activeMeters().get(2);
        JsonNode event = h.control("POST", "/sandbox/meters/" + meter + "/participation", Map.of("participation_preference", "IDLE",
                "start_time", "2026-01-01T00:00:00Z", "end_time", "2026-02-01T00:00:00Z", "reason", "site maintenance")).path("event");

        assertThat(h.events.applyEvent(event).path("outcome").asText()).isEqualTo("APPLIED");

        assertThat(h.jdbc.queryForList("SELECT participation_preference || ' ' || reason FROM meter_participation_preference"
                + " WHERE meter_id = ?::uuid ORDER BY position", String.class, meter)).contains("IDLE site maintenance");
    }

    @Test
    void connectSessionEventsAreNotInventoryEvents() {
        ObjectNode event = envelope("connect_session.updated", Map.of("partner_reference", "customer-site-123", "status", "CREATED"));
        assertThat(h.events.applyEvent(event).path("outcome").asText()).isEqualTo("IGNORED");
        ObjectNode noMeter = envelope("meter.created", Map.of("transmission_region", "CAISO"));
        assertThat(h.events.applyEvent(noMeter).path("outcome").asText()).isEqualTo("REJECTED");
    }

    // ------------------------------------------------------------------ helpers

    static ObjectNode envelope(String type, Map<String, Object> fields) {
        ObjectNode e = InventoryHarness.JSON.createObjectNode();
        e.put("webhook_event_id", UUID.randomUUID().toString());
        ObjectNode p = e.putObject("payload");
        p.put("webhook_event_type", type);
        p.setAll((ObjectNode) InventoryHarness.JSON.valueToTree(fields));
        return e;
    }

    /** ACTIVE, not archived, without partner actions: each test takes a different one. */
    private static List<String> activeMeters() {
        return h.sandbox.state().meters().all().stream()
                .filter(m -> "ACTIVE".equals(m.globalEnrollmentStatus()) && !m.archived() && m.partnerActions().isEmpty())
                .skip(50).limit(3).map(m -> m.meterId().toString()).toList();
    }

    private static String status(String meter) {
        return h.jdbc.queryForObject("SELECT global_enrollment_status FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meter);
    }

    private static List<String> eventTypes(String meter) {
        return h.jdbc.queryForList("SELECT event_type FROM inventory_event WHERE meter_id = ?::uuid ORDER BY id", String.class, meter);
    }

    private static int openMemberships(String meter, UUID group) {
        return h.count("SELECT count(*) FROM market_group_member WHERE meter_id = ?::uuid AND market_group_id = ? AND left_at IS NULL",
                meter, group);
    }
}
