package io.leapvpp.hub.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reconciliation against a dedicated sandbox of 10,000 meters over HTTP and a real PostgreSQL: a full sync stores
 * every meter exactly once (archived ones marked), a delta sync picks up only what changed, and a sync that a Leap
 * outage interrupts resumes from its stored cursor with correct counts. The methods build on each other (ordered).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InventorySyncTest {

    private static final int METERS = 10_000;
    private static final String SEARCH = "/v2/meters/enrollments/search";
    private static InventoryHarness h;

    @BeforeAll
    static void start() {
        h = new InventoryHarness("inventory_sync_test", METERS);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    @Order(1)
    void fullSyncStoresEveryMeterExactlyOnceAndMarksArchivedOnes() {
        InventorySync.Result r = h.sync.run(InventorySync.Kind.FULL);

        assertThat(r.status()).isEqualTo("COMPLETED");
        assertThat(r.pages()).isEqualTo(METERS / 500);
        assertThat(r.metersReceived()).isEqualTo(METERS);
        assertThat(r.metersDistinct()).isEqualTo(METERS);
        assertThat(r.metersMissing()).isZero();
        assertThat(h.count("SELECT count(*) FROM meter_inventory")).isEqualTo(METERS);
        assertThat(h.count("SELECT count(DISTINCT meter_id) FROM meter_inventory WHERE last_seen_run_id = ?", r.runId()))
                .isEqualTo(METERS);

        List<String> archived = new ArrayList<>();
        int programs = 0;
        int partnerActions = 0;
        int groupMembers = 0;
        for (Meter m : h.sandbox.state().meters().all()) {
            if (m.archived()) {
                archived.add(m.meterId().toString());
            }
            programs += m.programEnrollment().size();
            partnerActions += m.partnerActions().size();
            groupMembers += (int) m.programEnrollment().stream().map(p -> p.marketGroupId()).filter(g -> g != null).distinct().count();
        }
        assertThat(archived).as("the seed has archived meters").isNotEmpty();
        assertThat(h.jdbc.queryForList("SELECT meter_id::text FROM meter_inventory WHERE is_archived", String.class))
                .containsExactlyInAnyOrderElementsOf(archived);
        assertThat(h.count("SELECT count(*) FROM meter_program_enrollment")).isEqualTo(programs);
        assertThat(h.count("SELECT count(*) FROM meter_required_action WHERE party = 'partner'")).isEqualTo(partnerActions);
        assertThat(h.count("SELECT count(*) FROM market_group_member WHERE left_at IS NULL")).isEqualTo(groupMembers);
        assertThat(h.count("SELECT count(*) FROM market_group")).isEqualTo(h.sandbox.state().meters().marketGroups().size());
        // the default gateway of every meter is its partner_reference
        assertThat(h.count("SELECT count(*) FROM meter_gateway g JOIN meter_inventory m USING (meter_id)"
                + " WHERE g.gateway_reference = m.partner_reference AND g.source = 'DEFAULT'")).isEqualTo(METERS);
        // a first sight is not an operations event
        assertThat(h.count("SELECT count(*) FROM inventory_event")).isZero();
        // the walk asked Leap for archived meters too
        assertThat(searchRequests()).allSatisfy(req -> assertThat(req.path("exclude_archived").asBoolean(true)).isFalse());
    }

    @Test
    @Order(2)
    void deltaSyncPicksUpOnlyTheMetersChangedSinceTheLastSync() {
        List<Meter> active = h.sandbox.state().meters().all().stream()
                .filter(m -> "ACTIVE".equals(m.globalEnrollmentStatus()) && !m.archived()).limit(4).toList();
        String ineligible = active.get(0).meterId().toString();
        String eligible = active.get(1).meterId().toString();
        String archived = active.get(2).meterId().toString();
        String withAction = active.get(3).meterId().toString();
        h.control("POST", "/sandbox/meters/" + ineligible + "/status", Map.of("global_enrollment_status", "INELIGIBLE"));
        h.control("POST", "/sandbox/meters/" + eligible + "/status", Map.of("global_enrollment_status", "ELIGIBLE"));
        h.control("POST", "/sandbox/meters/" + archived + "/archive", null);
        h.control("POST", "/sandbox/meters/" + withAction + "/required-actions",
                Map.of("partner", List.of(Map.of("action_type", "HAS_NOMINATIONS", "action_code", "NOM_0001"))));

        InventorySync.Result r = h.sync.run(InventorySync.Kind.DELTA);

        assertThat(r.kind()).isEqualTo(InventorySync.Kind.DELTA);
        assertThat(r.metersReceived()).isEqualTo(4);
        assertThat(r.metersDistinct()).isEqualTo(4);
        assertThat(h.count("SELECT count(*) FROM meter_inventory WHERE last_seen_run_id = ?", r.runId())).isEqualTo(4);
        JsonNode filter = searchRequests().get(searchRequests().size() - 1);
        assertThat(filter.path("last_modified_date_time").asText()).isNotBlank();

        assertThat(status(ineligible)).isEqualTo("INELIGIBLE");
        assertThat(status(eligible)).isEqualTo("ELIGIBLE");
        assertThat(h.jdbc.queryForObject("SELECT is_archived FROM meter_inventory WHERE meter_id = ?::uuid", Boolean.class, archived)).isTrue();
        assertThat(h.count("SELECT count(*) FROM meter_required_action WHERE meter_id = ?::uuid AND action_type = 'HAS_NOMINATIONS'"
                + " AND action_code = 'NOM_0001'", withAction)).isEqualTo(1);

        assertThat(events(r.runId())).containsExactlyInAnyOrder(
                "BECAME_INELIGIBLE " + ineligible, "GLOBAL_STATUS_CHANGED " + eligible, "ARCHIVED " + archived,
                "REQUIRED_ACTION_ADDED " + withAction);
    }

    @Test
    @Order(3)
    void aLeapOutageInTheMiddleOfASyncIsResumedFromTheStoredCursorWithoutDoubleCounting() {
        // a meter the hub knows but Leap does not: the completed full sync flags it, never deletes it
        UUID ghost = UUID.randomUUID();
        h.jdbc.update("INSERT INTO meter_inventory (meter_id, partner_reference, last_synced_at) VALUES (?, 'ghost-site', now() - interval '1 day')", ghost);
        // pages 1-3 are served, then Leap fails every attempt of the client at page 4
        h.control("POST", "/sandbox/faults", Map.of("path", SEARCH, "status", 503, "skip", 3, "count", InventoryHarness.LEAP_ATTEMPTS));

        InventorySync.InterruptedSyncException outage = catchThrowableOfType(InventorySync.InterruptedSyncException.class,
                () -> h.sync.run(InventorySync.Kind.FULL));

        assertThat(outage).isNotNull();
        Map<String, Object> run = h.jdbc.queryForMap("SELECT status, cursor, pages, meters_received, last_error FROM inventory_sync_run WHERE id = ?",
                outage.runId());
        assertThat(run.get("status")).isEqualTo("INTERRUPTED");
        assertThat(run.get("pages")).isEqualTo(3);
        assertThat(run.get("meters_received")).isEqualTo(1500);
        assertThat((String) run.get("cursor")).isNotBlank();
        assertThat((String) run.get("last_error")).contains("503");
        String storedCursor = (String) run.get("cursor");
        assertThat(h.control("GET", "/sandbox/faults", null).path("faults").get(0).path("injected").asInt())
                .isEqualTo(InventoryHarness.LEAP_ATTEMPTS);

        // the next run (here the 15-minute delta) resumes the interrupted full sync
        InventorySync.Result resumed = h.sync.run(InventorySync.Kind.DELTA);

        assertThat(resumed.runId()).isEqualTo(outage.runId());
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.kind()).isEqualTo(InventorySync.Kind.FULL);
        assertThat(resumed.pages()).isEqualTo(METERS / 500);
        assertThat(resumed.metersReceived()).isEqualTo(METERS);
        assertThat(resumed.metersDistinct()).isEqualTo(METERS);
        assertThat(h.jdbc.queryForObject("SELECT resume_count FROM inventory_sync_run WHERE id = ?", Integer.class, resumed.runId())).isEqualTo(1);
        // the resumed walk started at the stored cursor, not at the first page
        List<JsonNode> successful = new ArrayList<>();
        for (RecordedRequest req : h.sandbox.state().requests().all()) {
            if (req.path().equals(SEARCH) && req.responseStatus() == 200) {
                successful.add(body(req));
            }
        }
        List<JsonNode> afterOutage = successful.subList(successful.size() - (METERS / 500 - 3), successful.size());
        assertThat(afterOutage.get(0).path("page_token").asText()).isEqualTo(storedCursor);
        assertThat(h.count("SELECT count(*) FROM meter_inventory")).isEqualTo(METERS + 1);

        assertThat(resumed.metersMissing()).isEqualTo(1);
        assertThat(h.jdbc.queryForObject("SELECT missing_since IS NOT NULL FROM meter_inventory WHERE meter_id = ?", Boolean.class, ghost)).isTrue();
        assertThat(h.count("SELECT count(*) FROM inventory_event WHERE event_type = 'MISSING_FROM_FULL_SYNC' AND meter_id = ?", ghost)).isEqualTo(1);
        assertThat(h.count("SELECT count(*) FROM meter_inventory WHERE missing_since IS NOT NULL")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aSecondSyncWhileOneHoldsTheLockIsSkipped() throws Exception {
        try (java.sql.Connection c = h.dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, InventorySync.LOCK_KEY);
            ps.execute();
            InventorySync.Result r = h.sync.run(InventorySync.Kind.DELTA);
            assertThat(r.status()).isEqualTo("SKIPPED");
            try (java.sql.PreparedStatement un = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                un.setLong(1, InventorySync.LOCK_KEY);
                un.execute();
            }
        }
        assertThat(h.sync.run(InventorySync.Kind.DELTA).status()).isEqualTo("COMPLETED");
    }

    private List<String> events(long runId) {
        return h.jdbc.queryForList("SELECT event_type || ' ' || meter_id FROM inventory_event WHERE sync_run_id = ?", String.class, runId);
    }

    private String status(String meterId) {
        return h.jdbc.queryForObject("SELECT global_enrollment_status FROM meter_inventory WHERE meter_id = ?::uuid", String.class, meterId);
    }

    private static List<JsonNode> searchRequests() {
        List<JsonNode> out = new ArrayList<>();
        for (RecordedRequest req : h.sandbox.state().requests().all()) {
            if (req.path().equals(SEARCH)) {
                out.add(body(req));
            }
        }
        return out;
    }

    private static JsonNode body(RecordedRequest req) {
        try {
            return InventoryHarness.JSON.readTree(req.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
