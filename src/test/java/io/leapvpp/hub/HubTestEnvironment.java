package io.leapvpp.hub;

import io.leapvpp.hub.demo.EmbeddedPostgresServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The real servers every hub test talks to, started once per test JVM and shared by all Spring
 * contexts (contexts are cached side by side, so the servers cannot belong to one of them).
 */
public final class HubTestEnvironment {

    public static final Path DATA_DIR = Path.of("target", "test-data").toAbsolutePath();

    private static EmbeddedPostgresServer postgres;

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

    /** Points a hub context at the shared servers. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres().jdbcUrl());
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("hub.demo.data-dir", DATA_DIR::toString);
    }
}
