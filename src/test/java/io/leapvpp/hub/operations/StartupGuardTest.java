package io.leapvpp.hub.operations;

import io.leapvpp.hub.HubApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StartupGuardTest {

    /** Starts the hub in production with the given settings as command-line arguments (they beat config files). */
    private static void startProduction(String... settings) {
        String[] args = java.util.Arrays.stream(settings).map(s -> "--" + s).toArray(String[]::new);
        new SpringApplicationBuilder(HubApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("production")
                .run(args);
    }

    @Test
    void productionRefusesToStartWithoutItsSecretsAndNamesEachOne() {
        HubConfigurationException failure = catchThrowableOfType(HubConfigurationException.class,
                () -> startProduction("hub.mqtt.password=given-mqtt-value-123"));

        assertThat(failure.problems()).containsExactly(
                "missing required secret hub.api.key (set environment variable HUB_API_KEY)",
                "missing required secret hub.dispatch.webhook.secret (set environment variable DISPATCH_WEBHOOK_SECRET)",
                "missing required secret hub.events.webhook.secret (set environment variable EVENTS_WEBHOOK_SECRET)",
                "missing required secret hub.leap.api-key (set environment variable LEAP_API_KEY)",
                "missing required secret hub.sftp.password (set environment variable SFTP_PASSWORD)",
                "missing required secret spring.datasource.password (set environment variable DB_PASSWORD)");
        assertThat(failure.getMessage()).doesNotContain("given-mqtt-value-123");

        FailureAnalysis analysis = new HubConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("hub.leap.api-key", "LEAP_API_KEY");
    }

    @Test
    void productionNeverRunsTheSandboxOrEmbeddedServersWhateverTheEnvironmentSays() {
        assertThatThrownBy(() -> startProduction(
                "hub.leap.api-key=k", "spring.datasource.password=p", "hub.mqtt.password=m", "hub.sftp.password=s",
                "hub.dispatch.webhook.secret=w", "hub.events.webhook.secret=e", "hub.api.key=a", "hub.sandbox.enabled=true", "hub.demo.mqtt.enabled=true"))
                .isInstanceOf(HubConfigurationException.class)
                .satisfies(e -> assertThat(((HubConfigurationException) e).problems()).containsExactly(
                        "hub.demo.mqtt.enabled=true is not allowed in this profile (embedded demo servers and the Leap sandbox never run in production)",
                        "hub.sandbox.enabled=true is not allowed in this profile (embedded demo servers and the Leap sandbox never run in production)"));
    }

    @Test
    void demoNeedsNoSecretsToPassTheGuard() {
        // The demo profile lists no required secrets; the guard lets it through to the next stage.
        var environment = new org.springframework.core.env.StandardEnvironment();
        new StartupGuard().postProcessEnvironment(environment, new org.springframework.boot.SpringApplication());
        assertThat(environment.getProperty("hub.security.required-secrets")).isNull();
    }
}
