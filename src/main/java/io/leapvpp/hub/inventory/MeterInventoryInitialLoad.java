package io.leapvpp.hub.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.leap.LeapClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fills an empty {@code meter_inventory} from Leap's meter enrollments at start, so group dispatches
 * resolve their meter_ids (routes/15-meter-inventory-seed.camel.yaml). Deliberately small: one pass,
 * upsert of the identifying columns. The meter inventory issue replaces it with a full sync.
 */
@Component("meterInventoryInitialLoad")
public class MeterInventoryInitialLoad {

    private static final Logger log = LoggerFactory.getLogger(MeterInventoryInitialLoad.class);

    private final LeapClient leap;
    private final JdbcTemplate jdbc;

    public MeterInventoryInitialLoad(LeapClient leap, JdbcTemplate jdbc) {
        this.leap = leap;
        this.jdbc = jdbc;
    }

    /** Loads only when the table is empty; returns the number of meters upserted (0 = already filled). */
    public int loadIfEmpty() {
        Boolean any = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM meter_inventory)", Boolean.class);
        if (Boolean.TRUE.equals(any)) {
            log.info("meter_inventory already holds meters; no initial load");
            return 0;
        }
        return load();
    }

    /** Pages through searchMeterEnrollments and upserts every meter; returns the count. */
    public int load() {
        int[] total = new int[1];
        leap.forEachMeterEnrollmentsPage(Map.of("page_size", 500), page -> {
            upsert(page);
            total[0] += page.size();
        });
        log.info("meter_inventory initial load: {} meters from Leap", total[0]);
        return total[0];
    }

    private void upsert(List<JsonNode> meters) {
        jdbc.batchUpdate("""
                INSERT INTO meter_inventory (meter_id, partner_reference, meter_type, transmission_region,
                                             global_enrollment_status, connection_references, is_archived, updated_at)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, now())
                ON CONFLICT (meter_id) DO UPDATE SET partner_reference = EXCLUDED.partner_reference,
                    meter_type = EXCLUDED.meter_type, transmission_region = EXCLUDED.transmission_region,
                    global_enrollment_status = EXCLUDED.global_enrollment_status,
                    connection_references = EXCLUDED.connection_references, is_archived = EXCLUDED.is_archived,
                    updated_at = now()""", meters, 500, (ps, m) -> {
            ps.setObject(1, UUID.fromString(m.path("meter_id").asText()));
            ps.setString(2, text(m, "partner_reference"));
            ps.setString(3, text(m, "meter_type"));
            ps.setString(4, text(m, "transmission_region"));
            ps.setString(5, text(m, "global_enrollment_status"));
            JsonNode refs = m.path("connection_references");
            ps.setString(6, refs.isArray() ? refs.toString() : "[]");
            ps.setBoolean(7, m.path("is_archived").asBoolean(false));
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
