package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The configurable rules, switched away from their defaults in one context: test topic, even split, voluntary skip. */
@TestPropertySource(properties = {
        "hub.dispatch.test-notifications.topic-template=vpp/{partner_reference}/test-commands",
        "hub.dispatch.group-split=even",
        "hub.dispatch.voluntary-policy=skip"})
// closed after the class: a cached hub that nobody uses would still take part in the shared MQTT subscriptions
@org.springframework.test.annotation.DirtiesContext
class DispatchPoliciesTest extends DispatchIntakeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void withATestTopicConfiguredTestNotificationsAreCommandedOnThatTopicOnly() throws Exception {
        UUID event = UUID.randomUUID();
        String ref = ref();
        ObjectNode n = single(UUID.randomUUID(), ref, timeslot("meter_event_id", event, hoursFromNow(2)));
        n.put("integration_test_notification", true);

        Reply reply = post(port, METER_PATH, n.toString(), WEBHOOK_SECRET);

        assertThat(reply.status()).isEqualTo(200);
        Map<String, Object> c = jdbc.queryForMap("SELECT topic, payload::text AS payload FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", event);
        assertThat(c.get("topic")).isEqualTo("vpp/" + ref + "/test-commands");
        assertThat(JSON.readTree(c.get("payload").toString()).path("test").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT test FROM dispatch_event WHERE event_id = ?", Boolean.class, event)).isTrue();

        UUID real = UUID.randomUUID();
        post(port, METER_PATH, single(UUID.randomUUID(), ref, timeslot("meter_event_id", real, hoursFromNow(2))).toString(), WEBHOOK_SECRET);
        assertThat(jdbc.queryForObject("SELECT topic FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", String.class, real)).isEqualTo("vpp/" + ref + "/commands");
    }

    @Test
    void voluntaryEventsAreRecordedWithoutCommandButTheirCancelsStillGoOut() {
        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String ref = ref();
        ObjectNode slot = timeslot("meter_event_id", event, hoursFromNow(2));
        slot.put("is_voluntary", true);

        assertThat(post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET).json().path("commands").asInt()).isZero();
        Map<String, Object> e = jdbc.queryForMap("SELECT state, note FROM dispatch_event WHERE event_id = ?", event);
        assertThat(e.get("state")).isEqualTo("RECEIVED");
        assertThat(e.get("note").toString()).contains("voluntary-policy=skip");

        slot.put("cancelled", true);
        post(port, METER_PATH, single(meter, ref, slot).toString(), WEBHOOK_SECRET);
        assertThat(jdbc.queryForList("SELECT action FROM device_command WHERE event_id = ?", String.class, event)).containsExactly("cancel");
    }

    @Test
    void theEvenRuleIgnoresKnownNominations() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        jdbc.update("INSERT INTO meter_inventory (meter_id, partner_reference, nomination_kw) VALUES (?, ?, 30), (?, ?, 10)", a, ref(), b, ref());
        UUID event = UUID.randomUUID();
        ObjectNode n = JSON.createObjectNode();
        ObjectNode g = n.putArray("group_dispatches").addObject();
        g.put("market_group_id", UUID.randomUUID().toString());
        g.putArray("meter_ids").add(a.toString()).add(b.toString());
        ObjectNode slot = timeslot("market_group_event_id", event, hoursFromNow(2));
        slot.put("energy_kw", 100);
        g.putArray("timeslots").add(slot);

        assertThat(post(port, GROUP_PATH, n.toString(), WEBHOOK_SECRET).status()).isEqualTo(200);

        jdbc.query("SELECT payload::text FROM device_command JOIN device_command_message USING (id) WHERE event_id = ?", rs -> {
            try {
                JsonNode p = JSON.readTree(rs.getString(1));
                assertThat(p.path("target_kw").decimalValue()).isEqualByComparingTo(new BigDecimal("50"));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, event);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ?", Integer.class, event)).isEqualTo(2);
    }
}
