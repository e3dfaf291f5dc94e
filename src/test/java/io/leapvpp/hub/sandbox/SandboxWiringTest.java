package io.leapvpp.hub.sandbox;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.mock.env.MockEnvironment;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** How the sandbox plugs into the hub: nothing leaks into the hub's scan, and the properties start/stop it. */
class SandboxWiringTest {

    @Test
    void theHubsComponentScanFindsOnlySandboxConfiguration() {
        assertThat(scan(true)).containsExactly(SandboxConfiguration.class.getName());
        assertThat(scan(false)).isEmpty();
    }

    private static Set<String> scan(boolean sandboxEnabled) {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(true,
                new MockEnvironment().withProperty("hub.sandbox.enabled", String.valueOf(sandboxEnabled)));
        return scan.findCandidateComponents("io.leapvpp.hub.sandbox").stream()
                .map(BeanDefinition::getBeanClassName).collect(Collectors.toSet());
    }

    @Test
    void propertiesStartTheSandboxAndClosingTheHubStopsIt() {
        LeapSandbox[] seen = new LeapSandbox[1];
        new ApplicationContextRunner()
                .withUserConfiguration(SandboxConfiguration.class)
                .withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.port=0", "hub.sandbox.meters=7",
                        "hub.sandbox.seed=3", "hub.sandbox.api-key=k1", "hub.sandbox.time-scale=0.5", "hub.sandbox.batch-job-delay=PT2S")
                .run(ctx -> {
                    LeapSandbox sandbox = ctx.getBean(LeapSandbox.class);
                    seen[0] = sandbox;
                    assertThat(sandbox.isRunning()).isTrue();
                    assertThat(sandbox.state().meters().size()).isEqualTo(7);
                    assertThat(sandbox.settings().apiKey()).isEqualTo("k1");
                    assertThat(sandbox.settings().timeScale()).isEqualTo(0.5);
                    SandboxClient c = new SandboxClient(sandbox.baseUrl(), "k1");
                    assertThat(c.post("/v2/meters/search", java.util.Map.of()).json().path("meters")).hasSize(7);
                });
        assertThat(seen[0].isRunning()).isFalse();
        new ApplicationContextRunner().withUserConfiguration(SandboxConfiguration.class)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(LeapSandbox.class));
    }
}
