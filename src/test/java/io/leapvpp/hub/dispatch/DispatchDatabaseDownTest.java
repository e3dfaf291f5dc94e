package io.leapvpp.hub.dispatch;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.util.UUID;

import static io.leapvpp.hub.dispatch.DispatchTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub of its own whose database connection runs through a {@link TcpProxy}: with the database
 * gone the receiver answers 503 (Leap retries) and stores nothing; the same delivery after the
 * database returns is stored exactly once.
 */
// closed after the class: a cached hub that nobody uses would still take part in the shared MQTT subscriptions
@org.springframework.test.annotation.DirtiesContext
class DispatchDatabaseDownTest extends DispatchIntakeTest {

    private static TcpProxy proxy;

    @DynamicPropertySource
    static void databaseThroughProxy(DynamicPropertyRegistry registry) throws IOException {
        proxy = HubTestEnvironment.databaseThroughProxy(registry);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        proxy.restore(); // leave the cached context working
    }

    @LocalServerPort
    int port;

    /** Straight to the database, not through the proxy. */
    private final JdbcTemplate direct = new JdbcTemplate(new DriverManagerDataSource(HubTestEnvironment.postgres().jdbcUrl(), "postgres", ""));

    @Autowired
    DataSource dataSource;

    @Test
    void withTheDatabaseDownTheAnswerIs503AndTheRetryAfterItReturnsIsStoredOnce() throws Exception {
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).contains(":" + proxy.port() + "/");
        assertThat(post(port, METER_PATH, single(UUID.randomUUID(), ref(), timeslot("meter_event_id", UUID.randomUUID(), hoursFromNow(2))).toString(),
                WEBHOOK_SECRET).status()).as("works through the proxy").isEqualTo(200);

        UUID meter = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        String body = single(meter, ref(), timeslot("meter_event_id", event, hoursFromNow(2))).toString();
        proxy.cut();
        Reply down;
        long started = System.nanoTime();
        try {
            down = post(port, METER_PATH, body, WEBHOOK_SECRET);
        } finally {
            proxy.restore();
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().path("error").asText()).isEqualTo("unavailable");
        assertThat(down.body()).doesNotContain("Exception").doesNotContain("postgres");
        assertThat(tookMs).as("answered well within Leap's 10 s").isLessThan(5000);
        assertThat(direct.queryForObject("SELECT count(*) FROM dispatch_notification WHERE body::text LIKE ?", Integer.class, "%" + event + "%"))
                .as("nothing half-stored").isZero();
        assertThat(direct.queryForObject("SELECT count(*) FROM dispatch_event WHERE event_id = ?", Integer.class, event)).isZero();

        // Leap retries every minute until it gets a 2xx; the pool may hand out a connection the cut broke
        // once more (503 again), so retry like Leap, faster
        Reply retry = post(port, METER_PATH, body, WEBHOOK_SECRET);
        for (int attempt = 1; retry.status() == 503 && attempt < 20; attempt++) {
            Thread.sleep(250);
            retry = post(port, METER_PATH, body, WEBHOOK_SECRET);
        }
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("created").asInt()).isEqualTo(1);
        assertThat(direct.queryForObject("SELECT count(*) FROM dispatch_event_version WHERE event_id = ?", Integer.class, event)).isEqualTo(1);
        assertThat(direct.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ? AND status = 'PENDING'", Integer.class, event)).isEqualTo(1);
        assertThat(direct.queryForObject("SELECT count(*) FROM dispatch_notification WHERE body::text LIKE ?", Integer.class, "%" + event + "%")).isEqualTo(1);
    }
}
