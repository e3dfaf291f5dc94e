package io.leapvpp.hub.dispatch;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the intake tests: they check what the intake writes into the outbox, so the device side
 * holds every command there (hub.devices.outbox.enabled=false) instead of publishing it at once.
 */
@TestPropertySource(properties = "hub.devices.outbox.enabled=false")
abstract class DispatchIntakeTest extends HubSpringTest {

    /** The device-side tests share this database: leave no command behind for their publisher. */
    @AfterAll
    static void clearHeldCommands() throws Exception {
        try (SingleConnectionDataSource db = new SingleConnectionDataSource(HubTestEnvironment.postgres().jdbcUrl(), "postgres", "", true)) {
            new JdbcTemplate(db).update("UPDATE device_command SET status = 'SUPERSEDED', last_error = 'left by an intake test' WHERE status = 'PENDING'");
        }
    }
}
