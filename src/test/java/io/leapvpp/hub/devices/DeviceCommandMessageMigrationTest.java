package io.leapvpp.hub.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.leapvpp.hub.HubTestEnvironment;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V44 splits a command's message from its state: the commands of a hub that upgrades keep their topic and payload, now
 * in device_command_message, and device_command no longer has those columns. Runs the real migrations on a database
 * of its own in the embedded PostgreSQL.
 */
class DeviceCommandMessageMigrationTest {

    private final String database = "v44_" + UUID.randomUUID().toString().replace("-", "");
    private final JdbcTemplate server = new JdbcTemplate(new DriverManagerDataSource(
            HubTestEnvironment.postgres().jdbcUrl(), "postgres", ""));

    @AfterEach
    void dropDatabase() {
        server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    void theCommandsOfAnUpgradingHubKeepTheirTopicAndPayload() {
        server.execute("CREATE DATABASE " + database);
        DriverManagerDataSource db = new DriverManagerDataSource(
                HubTestEnvironment.postgres().jdbcUrl().replace("/postgres", "/" + database), "postgres", "");
        migrate(db, "43");
        JdbcTemplate jdbc = new JdbcTemplate(db);
        UUID event = UUID.randomUUID();
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        jdbc.update("""
                INSERT INTO dispatch_event (event_id, kind, meter_id, partner_reference, start_time, end_time, cancelled,
                    energy_kw, nomination_kw, priority, is_voluntary, version, content_hash, state)
                VALUES (?, 'METER', ?, 'gw-upgrade', ?, ?, false, 50, 60, 1, false, 1, 'h1', 'COMMANDED')""",
                event, UUID.randomUUID(), Timestamp.from(start), Timestamp.from(start.plus(1, ChronoUnit.HOURS)));
        for (String status : List.of("PENDING", "SENT")) {
            jdbc.update("""
                    INSERT INTO device_command (command_id, event_id, event_version, partner_reference, action, topic, payload,
                        expires_at, status)
                    VALUES (?, ?, 1, 'gw-upgrade', 'schedule', 'vpp/gw-upgrade/commands', CAST(? AS jsonb), ?, ?)""",
                    event + ":" + status, event, "{\"command_id\": \"" + event + ":" + status + "\", \"target_kw\": 12.5}",
                    Timestamp.from(start.plus(1, ChronoUnit.HOURS)), status);
        }

        migrate(db, "latest");

        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT c.command_id, c.status, m.topic, m.payload::text AS payload
                  FROM device_command c JOIN device_command_message m ON m.id = c.id
                 ORDER BY c.command_id""");
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(r -> r.get("status")).containsExactly("PENDING", "SENT");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("topic")).isEqualTo("vpp/gw-upgrade/commands"));
        assertThat(rows.get(0).get("payload")).isEqualTo("{\"target_kw\": 12.5, \"command_id\": \"" + event + ":PENDING\"}");
        assertThat(jdbc.queryForList("""
                SELECT column_name FROM information_schema.columns
                 WHERE table_name = 'device_command' AND column_name IN ('topic', 'payload')""", String.class)).isEmpty();
    }

    private static void migrate(DriverManagerDataSource db, String target) {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target(target).load().migrate();
    }
}
