package io.leapvpp.hub;

import io.leapvpp.hub.demo.DemoMailbox;
import io.leapvpp.hub.demo.EmbeddedMqttBroker;
import io.leapvpp.hub.demo.EmbeddedPostgresServer;
import io.leapvpp.hub.demo.EmbeddedSftpServer;
import io.leapvpp.hub.demo.EmbeddedSmtpServer;
import io.leapvpp.hub.sandbox.LeapSandbox;
import io.leapvpp.hub.sandbox.SandboxSettings;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real servers every hub test talks to, started once per test JVM and shared by all Spring
 * contexts (Spring caches contexts side by side, so the servers cannot belong to one of them).
 * The hub reaches them through its ordinary connection properties, as it would in production.
 */
public final class HubTestEnvironment {

    public static final Path DATA_DIR = Path.of("target", "test-data").toAbsolutePath();
    /** Same value as hub.sftp.password in config/application-test.yaml. */
    public static final String SFTP_USER = "hub";
    public static final String SFTP_PASSWORD = "test-sftp-SECRET-91fa56";
    /** Same value as hub.leap.api-key in config/application-test.yaml. */
    public static final String LEAP_API_KEY = "test-leap-key-SECRET-7d41c9";
    /** Leap's minute-long retry intervals take 60 ms in tests. */
    public static final double SANDBOX_TIME_SCALE = 0.001;

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedMqttBroker mqtt;
    private static EmbeddedSftpServer sftp;
    private static EmbeddedSmtpServer smtp;
    private static LeapSandbox sandbox;

    private HubTestEnvironment() {
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            try {
                Path dir = DATA_DIR.resolve("postgres");
                FileSystemUtils.deleteRecursively(dir);
                postgres = EmbeddedPostgresServer.start(dir, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    public static synchronized EmbeddedMqttBroker mqtt() {
        if (mqtt == null) {
            mqtt = new EmbeddedMqttBroker("127.0.0.1", 0, fresh("mqtt"));
            mqtt.start();
        }
        return mqtt;
    }

    public static synchronized EmbeddedSftpServer sftp() {
        if (sftp == null) {
            sftp = new EmbeddedSftpServer("127.0.0.1", 0, fresh("sftp"), SFTP_USER, SFTP_PASSWORD);
            sftp.start();
        }
        return sftp;
    }

    public static synchronized EmbeddedSmtpServer smtp() {
        if (smtp == null) {
            smtp = new EmbeddedSmtpServer("127.0.0.1", 0, new DemoMailbox(fresh("mail")));
            smtp.start();
        }
        return smtp;
    }

    public static synchronized LeapSandbox sandbox() {
        if (sandbox == null) {
            sandbox = new LeapSandbox(SandboxSettings.defaults().withPort(0).withApiKey(LEAP_API_KEY).withMeters(200)
                    .withTimeScale(SANDBOX_TIME_SCALE).withBatchJobDelay(Duration.ofMillis(300))).start();
        }
        return sandbox;
    }

    /** Points a hub context at the shared servers. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres().jdbcUrl());
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("hub.demo.data-dir", DATA_DIR::toString);
        registry.add("hub.mqtt.broker-url", () -> mqtt().getBrokerUrl());
        registry.add("hub.sftp.host", () -> "127.0.0.1");
        registry.add("hub.sftp.port", () -> sftp().getPort());
        registry.add("hub.sftp.username", () -> SFTP_USER);
        registry.add("hub.sftp.known-hosts-file", () -> sftp().getKnownHostsFile().toString());
        registry.add("hub.mail.host", () -> "127.0.0.1");
        registry.add("hub.mail.port", () -> smtp().getPort());
        registry.add("hub.leap.base-url", () -> sandbox().baseUrl());
    }

    /**
     * Routes one hub context's database connections through a new {@link TcpProxy}, so a test can cut
     * the database away from that hub only; short pool timeouts make the outage show within a second.
     */
    public static TcpProxy databaseThroughProxy(DynamicPropertyRegistry registry) throws IOException {
        TcpProxy proxy = new TcpProxy("127.0.0.1", postgres().port()).start();
        // HubSpringTest's spring.datasource.url wins over a subclass's; Hikari's own jdbc-url is bound after it
        registry.add("spring.datasource.hikari.jdbc-url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "500");
        return proxy;
    }

    private static Path fresh(String name) {
        Path dir = DATA_DIR.resolve(name);
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
