package io.leapvpp.hub.leap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The bean wires with just Jackson + the properties (a minimal context, not the hub). */
class LeapClientWiringTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LeapProperties.class)
    @Import(LeapClient.class)
    static class Wiring {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withUserConfiguration(Wiring.class);

    @Test
    void createsClientFromProperties() {
        runner.withPropertyValues("hub.leap.base-url=https://api.leap.energy", "hub.leap.api-key=id:secret",
                        "hub.leap.base-paths.dispatch=/v3")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(LeapClient.class);
                    LeapClient client = ctx.getBean(LeapClient.class);
                    assertThat(client.properties().baseUrl()).isEqualTo("https://api.leap.energy");
                    assertThat(client.properties().basePath(LeapService.DISPATCH)).isEqualTo("/v3");
                });
    }

    @Test
    void usesMeterRegistryWhenPresent() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("hub.leap.base-url=http://127.0.0.1:1", "hub.leap.api-key=k",
                        "hub.leap.retry.max-attempts=1", "hub.leap.connect-timeout=200ms")
                .run(ctx -> {
                    LeapClient client = ctx.getBean(LeapClient.class);
                    try {
                        client.listWebhooks();
                    } catch (LeapApiException expected) {
                        assertThat(expected.category()).isEqualTo(LeapErrorCategory.IO);
                    }
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry.find("leap.client.requests").tag("operation", "listWebhooks")
                            .tag("outcome", "IO").timer()).isNotNull()
                            .satisfies(t -> assertThat(t.count()).isEqualTo(1));
                });
    }
}
