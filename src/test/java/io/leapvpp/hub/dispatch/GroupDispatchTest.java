package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Group dispatches: meters from partner_references or meter_inventory, the kW split, unresolved meters recorded. */
class GroupDispatchTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private UUID inventoryMeter(String ref, String nominationKw) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO meter_inventory (meter_id, partner_reference, nomination_kw) VALUES (?, ?, ?)",
                id, ref, nominationKw == null ? null : new BigDecimal(nominationKw));
        return id;
    }

    private static ObjectNode group(List<UUID> meterIds, List<String> partnerReferences, ObjectNode slot) {
        ObjectNode n = JSON.createObjectNode();
        n.put("integration_test_notification", false);
        ObjectNode g = n.putArray("group_dispatches").addObject();
        g.put("market_group_id", UUID.randomUUID().toString());
        ArrayNode ids = g.putArray("meter_ids");
        meterIds.forEach(id -> ids.add(id.toString()));
        if (partnerReferences != null) {
            ArrayNode refs = g.putArray("partner_references");
            partnerReferences.forEach(refs::add);
        }
        g.putArray("timeslots").add(slot);
        return n;
    }

    /** meter_id -> payload of the event's commands. */
    private Map<UUID, JsonNode> commands(UUID event) {
        Map<UUID, JsonNode> out = new HashMap<>();
        jdbc.query("SELECT meter_id, payload::text FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", rs -> {
            try {
                out.put(rs.getObject(1, UUID.class), JSON.readTree(rs.getString(2)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, event);
        return out;
    }

    @Test
    void aGroupIsSplitByKnownNominationsResolvedThroughTheInventory() {
        String refA = ref();
        String refB = ref();
        UUID a = inventoryMeter(refA, "30");
        UUID b = inventoryMeter(refB, "10");
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.put("energy_kw", 100);
        slot.put("nomination_kw", 50);

        Reply reply = post(port, GROUP_PATH, group(List.of(a, b), null, slot).toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("commands").asInt()).isEqualTo(2);
        Map<UUID, JsonNode> c = commands(event);
        assertThat(c.get(a).path("target_kw").decimalValue()).isEqualByComparingTo("75");
        assertThat(c.get(b).path("target_kw").decimalValue()).isEqualByComparingTo("25");
        assertThat(c.get(a).path("nomination_kw").decimalValue()).isEqualByComparingTo("37.5");
        assertThat(c.get(a).path("market_group_event_id").asText()).isEqualTo(event.toString());
        assertThat(c.get(a).has("meter_event_id")).isFalse();
        assertThat(c.get(b).path("partner_reference").asText()).isEqualTo(refB);
        assertThat(jdbc.queryForObject("SELECT topic FROM device_command JOIN device_command_message USING (id) WHERE meter_id = ?", String.class, b)).isEqualTo("vpp/" + refB + "/commands");
        Map<String, Object> e = jdbc.queryForMap("SELECT kind, state, market_group_id, meter_ids::text AS meters FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e.get("kind")).isEqualTo("GROUP");
        assertThat(e.get("state")).isEqualTo("COMMANDED");
        assertThat(e.get("meters").toString()).contains(a.toString(), b.toString());
    }

    @Test
    void aMeterListedTwiceInAGroupGetsOneCommandWithItsMessageAndOneShare() {
        String refA = ref();
        String refB = ref();
        UUID a = inventoryMeter(refA, null);
        UUID b = inventoryMeter(refB, null);
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.put("energy_kw", 100);

        Reply reply = post(port, GROUP_PATH, group(List.of(a, a, b), null, slot).toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        Map<UUID, JsonNode> c = commands(event);
        assertThat(c).containsOnlyKeys(a, b);
        assertThat(c.get(a).path("command_id").asText()).isEqualTo(event + ":v1:" + a);
        assertThat(c.get(a).path("target_kw").decimalValue()).isEqualByComparingTo("50");
        assertThat(c.get(b).path("target_kw").decimalValue()).isEqualByComparingTo("50");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isEqualTo(2);
    }

    @Test
    void partnerReferencesOfTheNotificationAreUsedAndUnknownNominationsSplitEvenly() {
        UUID c1 = UUID.randomUUID();
        UUID c2 = UUID.randomUUID();
        UUID c3 = UUID.randomUUID();
        List<String> refs = List.of(ref(), ref(), ref());
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.put("energy_kw", 100);

        assertThat(post(port, GROUP_PATH, group(List.of(c1, c2, c3), refs, slot).toString(), WEBHOOK_SECRET).status()).isEqualTo(200);

        Map<UUID, JsonNode> c = commands(event);
        assertThat(c).hasSize(3);
        assertThat(c.get(c1).path("partner_reference").asText()).isEqualTo(refs.get(0));
        assertThat(c.get(c3).path("partner_reference").asText()).isEqualTo(refs.get(2));
        BigDecimal sum = c.values().stream().map(p -> p.path("target_kw").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("100");
        assertThat(c.get(c1).path("target_kw").decimalValue()).isEqualByComparingTo("33.333");
        assertThat(c.get(c3).path("target_kw").decimalValue()).isEqualByComparingTo("33.334");
        assertThat(jdbc.queryForObject("SELECT note FROM dispatch_event WHERE event_id = ?", String.class, event)).contains("split evenly");
    }

    @Test
    void aGroupWithoutEnergyDispatchesEveryMeterAtItsMaximum() {
        UUID a = inventoryMeter(ref(), "30");
        UUID b = inventoryMeter(ref(), "10");
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.putNull("energy_kw");
        post(port, GROUP_PATH, group(List.of(a, b), null, slot).toString(), WEBHOOK_SECRET);
        Map<UUID, JsonNode> c = commands(event);
        assertThat(c).hasSize(2);
        assertThat(c.values()).allSatisfy(p -> assertThat(p.get("target_kw").isNull()).isTrue());
    }

    @Test
    void metersNotInTheInventoryAreRecordedAsUnresolvedNotDropped() {
        String refA = ref();
        UUID a = inventoryMeter(refA, null);
        UUID missing = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.put("energy_kw", 40);

        Reply reply = post(port, GROUP_PATH, group(List.of(a, missing), null, slot).toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        Map<UUID, JsonNode> c = commands(event);
        assertThat(c).containsOnlyKeys(a);
        assertThat(c.get(a).path("target_kw").decimalValue()).isEqualByComparingTo("40");
        Map<String, Object> e = jdbc.queryForMap("SELECT state, note, unresolved_meter_ids::text AS unresolved FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e.get("state")).isEqualTo("COMMANDED");
        assertThat(e.get("unresolved").toString()).contains(missing.toString()).doesNotContain(a.toString());
        assertThat(e.get("note").toString()).contains("could not be resolved");

        UUID allMissing = UUID.randomUUID();
        post(port, GROUP_PATH, group(List.of(UUID.randomUUID()), null, timeslot("market_group_event_id", allMissing, hoursFromNow(2))).toString(), WEBHOOK_SECRET);
        assertThat(jdbc.queryForObject("SELECT state FROM dispatch_event WHERE event_id = ?", String.class, allMissing)).isEqualTo("UNRESOLVED");
        assertThat(commands(allMissing)).isEmpty();
    }

    @Test
    void aGroupUpdateAndCancelWorkLikeMeterEvents() {
        UUID a = inventoryMeter(ref(), "10");
        UUID event = UUID.randomUUID();
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        post(port, GROUP_PATH, group(List.of(a), null, slot).toString(), WEBHOOK_SECRET);
        slot.put("cancelled", true);
        post(port, GROUP_PATH, group(List.of(a), null, slot).toString(), WEBHOOK_SECRET);
        // a different market_group_id in the second request changes the hash too; both versions are kept
        assertThat(jdbc.queryForObject("SELECT state FROM dispatch_event WHERE event_id = ?", String.class, event)).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForList("SELECT action || ':' || status FROM device_command WHERE event_id = ? ORDER BY event_version", String.class, event))
                .containsExactly("schedule:SUPERSEDED", "cancel:PENDING");
    }
}
