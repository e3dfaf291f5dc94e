package io.leapvpp.hub.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Demo mode: real MQTT 5, SFTP and SMTP servers inside the hub's process, each one only when
 * {@code hub.demo.<server>.enabled=true} (see {@link DemoServersProperties}). The hub reaches them over
 * their real protocols, exactly as it reaches production servers; only configuration differs.
 *
 * <p>Each server starts while its bean is created, so it is listening before Camel starts any route
 * (routes start after all singletons are initialised), and stops when the context closes. Its bound
 * port is published in the environment as {@code local.hub.demo.mqtt.port},
 * {@code local.hub.demo.sftp.port} and {@code local.hub.demo.smtp.port} (like Spring Boot's
 * {@code local.server.port}), which matters when a port is configured as 0.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoServersProperties.class)
public class DemoServersConfiguration {

    static final String PORTS_PROPERTY_SOURCE = "hubDemoServerPorts";

    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(prefix = "hub.demo.mqtt", name = "enabled", havingValue = "true")
    public EmbeddedMqttBroker demoMqttBroker(DemoServersProperties properties, ConfigurableEnvironment environment) {
        DemoServersProperties.Mqtt mqtt = properties.getMqtt();
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(
                mqtt.getBindAddress(), mqtt.getPort(), properties.getDataDir().resolve("mqtt"));
        broker.start();
        publishPort(environment, "mqtt", broker.getPort());
        return broker;
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(prefix = "hub.demo.sftp", name = "enabled", havingValue = "true")
    public EmbeddedSftpServer demoSftpServer(DemoServersProperties properties, ConfigurableEnvironment environment) {
        DemoServersProperties.Sftp sftp = properties.getSftp();
        EmbeddedSftpServer server = new EmbeddedSftpServer(sftp.getBindAddress(), sftp.getPort(),
                properties.getDataDir().resolve("sftp"), sftp.getUsername(), sftp.getPassword());
        server.start();
        publishPort(environment, "sftp", server.getPort());
        return server;
    }

    @Bean
    @ConditionalOnProperty(prefix = "hub.demo.smtp", name = "enabled", havingValue = "true")
    public DemoMailbox demoMailbox(DemoServersProperties properties) {
        return new DemoMailbox(properties.getDataDir().resolve("mail"));
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(prefix = "hub.demo.smtp", name = "enabled", havingValue = "true")
    public EmbeddedSmtpServer demoSmtpServer(DemoServersProperties properties, DemoMailbox demoMailbox,
                                             ConfigurableEnvironment environment) {
        DemoServersProperties.Smtp smtp = properties.getSmtp();
        EmbeddedSmtpServer server = new EmbeddedSmtpServer(smtp.getBindAddress(), smtp.getPort(), demoMailbox);
        server.start();
        publishPort(environment, "smtp", server.getPort());
        return server;
    }

    @SuppressWarnings("unchecked")
    private static void publishPort(ConfigurableEnvironment environment, String server, int port) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> ports = sources.get(PORTS_PROPERTY_SOURCE);
        if (ports == null) {
            ports = new MapPropertySource(PORTS_PROPERTY_SOURCE, new ConcurrentHashMap<>());
            sources.addFirst(ports);
        }
        ((Map<String, Object>) ports.getSource()).put("local.hub.demo." + server + ".port", port);
    }
}
