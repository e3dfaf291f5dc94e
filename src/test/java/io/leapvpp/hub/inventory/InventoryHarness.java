package io.leapvpp.hub.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.leap.LeapProperties;
import io.leapvpp.hub.sandbox.LeapSandbox;
import io.leapvpp.hub.sandbox.SandboxSettings;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inventory beans wired by hand against a dedicated Leap sandbox (over HTTP) and a database of their own in the
 * shared embedded PostgreSQL, migrated by Flyway with the hub's migrations. Other tests' rows never mix with these.
 */
final class InventoryHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The test profile's Leap key, so the secret scan covers whatever this harness logs. */
    static final String KEY = HubTestEnvironment.LEAP_API_KEY;
    /** The client gives up after this many attempts; an injected outage needs at least as many failures. */
    static final int LEAP_ATTEMPTS = 3;

    final LeapSandbox sandbox;
    final HikariDataSource dataSource;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;
    final LeapClient leap;
    final MeterInventoryStore store;
    final InventorySync sync;
    final InventoryEvents events;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    InventoryHarness(String database, int meters) {
        sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withApiKey(KEY).withMeters(meters)
                .withTimeScale(0.001).withRequestLogCapacity(50)).start();
        dataSource = freshDatabase(database);
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        leap = new LeapClient(LeapProperties.of(sandbox.baseUrl(), KEY)
                .withRetry(new LeapProperties.Retry(LEAP_ATTEMPTS, Duration.ofMillis(10), Duration.ofMillis(50), 2.0, 0.5)),
                new ObjectMapper());
        store = new MeterInventoryStore(jdbc, leap.objectMapper());
        InventoryProperties properties = InventoryProperties.defaults();
        sync = new InventorySync(leap, store, jdbc, tx, properties, leap.objectMapper());
        events = new InventoryEvents(leap, store, tx, leap.objectMapper(), properties.pageSize());
    }

    static HikariDataSource freshDatabase(String name) {
        String adminUrl = HubTestEnvironment.postgres().jdbcUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setPoolName("inventory-test-" + name);
        return new HikariDataSource(config);
    }

    /** The sandbox's control API (no auth). */
    JsonNode control(String method, String path, Object body) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).timeout(Duration.ofSeconds(30));
            if (text != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    @Override
    public void close() {
        sandbox.stop();
        dataSource.close();
    }
}
