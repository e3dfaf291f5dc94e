package io.leapvpp.hub.events;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A hub of its own whose database runs through a {@link TcpProxy}: database gone → 503, nothing stored; Leap's retry is stored once. */
@org.springframework.test.annotation.DirtiesContext
class PlatformEventDatabaseDownTest extends HubSpringTest {

    private static TcpProxy proxy;

    @DynamicPropertySource
    static void databaseThroughProxy(DynamicPropertyRegistry registry) throws IOException {
        proxy = HubTestEnvironment.databaseThroughProxy(registry);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        proxy.restore();
    }

    @LocalServerPort
    int port;

    private final JdbcTemplate direct = new JdbcTemplate(new DriverManagerDataSource(HubTestEnvironment.postgres().jdbcUrl(), "postgres", ""));

    int post(String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leap/webhooks/events"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("x-api-key", PlatformEventReceiverTest.SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return PlatformEventReceiverTest.HTTP.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void withTheDatabaseDownTheAnswerIs503AndTheRetryIsStoredOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"webhook_event_id\":\"" + id + "\",\"payload\":{\"webhook_event_type\":\"connect_session.updated\",\"partner_reference\":\"site-pe-db\",\"status\":\"CREATED\"}}";
        proxy.cut();
        int down;
        try {
            down = post(body);
        } finally {
            proxy.restore();
        }
        assertThat(down).isEqualTo(503);
        assertThat(direct.queryForObject("SELECT count(*) FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class, id)).isZero();

        int status = 0;
        for (int i = 0; i < 50 && status != 200; i++) {
            status = post(body); // Leap retries
            if (status != 200) {
                Thread.sleep(200);
            }
        }
        assertThat(status).isEqualTo(200);
        assertThat(post(body)).isEqualTo(200);
        assertThat(direct.queryForObject("SELECT count(*) FROM platform_event WHERE webhook_event_id = ?::uuid", Integer.class, id)).isEqualTo(1);
    }
}
