package io.leapvpp.hub.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Demo mode's PostgreSQL: a real server on loopback (default port 15432) whose data lives under
 * {@code hub.demo.data-dir}/postgres. The hub connects to it through {@code spring.datasource.url}
 * exactly as it would to an external server; this class only makes sure it runs first.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.demo.postgres.enabled", havingValue = "true")
public class DemoDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(@Value("${hub.demo.data-dir}") String dataDir,
                                                  @Value("${hub.demo.postgres.port:15432}") int port) throws IOException {
        return EmbeddedPostgresServer.start(Path.of(dataDir, "postgres").toAbsolutePath(), port);
    }

    /** The DataSource (and so Flyway and Camel) must not start before the server accepts connections. */
    @Bean
    static AbstractDependsOnBeanFactoryPostProcessor dataSourceDependsOnEmbeddedPostgres() {
        return new AbstractDependsOnBeanFactoryPostProcessor(DataSource.class, "embeddedPostgresServer") {
        };
    }
}
