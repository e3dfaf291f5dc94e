package io.leapvpp.hub.operations;

import io.leapvpp.hub.HubApplication;
import io.leapvpp.hub.HubTestEnvironment;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Route files are loaded from the file system, reloaded when they change, and a bad one stops the hub with its line. */
class RouteFilesTest {

    @TempDir
    Path routes;

    private ConfigurableApplicationContext startHub(boolean reload) {
        return new SpringApplicationBuilder(HubApplication.class).run(
                "--spring.profiles.active=test",
                "--server.port=0",
                "--hub.routes.dir=" + routes,
                "--hub.routes.reload=" + reload,
                "--spring.datasource.url=" + HubTestEnvironment.postgres().jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=");
    }

    private void copyProjectRoutes() throws Exception {
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
    }

    @Test
    void aRouteFileThatDoesNotParseStopsTheHubNamingFileAndLine() throws Exception {
        copyProjectRoutes();
        Files.writeString(routes.resolve("50-broken.camel.yaml"), """
                - route:
                    id: broken-example
                    from:
                      uri: direct:broken
                      steps:
                        - log: "fine so far"
                       - to: log:misindented
                """);

        long listenersBefore = threadsNamed("outbox-listen");
        Throwable failure = catchThrowable(() -> startHub(false).close());

        MarkedYamlEngineException yamlError = findCause(failure, MarkedYamlEngineException.class);
        assertThat(yamlError).as("startup must fail on the YAML error").isNotNull();
        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(yamlError);
        assertThat(analysis.getDescription())
                .contains("50-broken.camel.yaml, line 7, column 8");
        // the failed hub leaves nothing running: a listener left over would wake a context that is gone, and a
        // leftover ack subscriber would take its share of the acks of the hubs still running
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("outbox-listen") <= listenersBefore);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && name.equals(t.getName())).count();
    }

    @Test
    void anUnknownStepIsReportedWithItsLine() throws Exception {
        copyProjectRoutes();
        Files.writeString(routes.resolve("50-typo.camel.yaml"), """
                - route:
                    id: typo-example
                    from:
                      uri: direct:typo
                      steps:
                        - lgo: "typo in the step name"
                """);

        Throwable failure = catchThrowable(() -> startHub(false).close());

        MarkedYamlEngineException yamlError = findCause(failure, MarkedYamlEngineException.class);
        assertThat(yamlError).isNotNull();
        assertThat(new RouteFileFailureAnalyzer().analyze(yamlError).getDescription())
                .contains("50-typo.camel.yaml, line 6")
                .contains("lgo");
    }

    @Test
    void aFolderWithoutRouteFilesIsRefused() {
        Throwable failure = catchThrowable(() -> startHub(false).close());
        HubConfigurationException configError = findCause(failure, HubConfigurationException.class);
        assertThat(configError).isNotNull();
        assertThat(configError.problems()).singleElement().asString().contains("holds no *.camel.yaml file");
    }

    @Test
    void aRouteFileAddedOrChangedOnDiskIsPickedUpWhileTheHubRuns() throws Exception {
        copyProjectRoutes();
        try (ConfigurableApplicationContext hub = startHub(true)) {
            CamelContext camel = hub.getBean(CamelContext.class);
            ProducerTemplate producer = camel.createProducerTemplate();
            assertThat(camel.getRoute("reload-probe")).isNull();

            Files.writeString(routes.resolve("60-reload-probe.camel.yaml"), probeRoute("first version"));
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("reload-probe") != null);
            assertThat(producer.requestBody("direct:reload-probe", "", String.class)).isEqualTo("first version");

            Files.writeString(routes.resolve("60-reload-probe.camel.yaml"), probeRoute("second version"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(producer.requestBody("direct:reload-probe", "", String.class)).isEqualTo("second version"));

            // the other files' routes kept running
            assertThat(camel.getRoute("hub-dead-letter")).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus("hub-dead-letter").isStarted()).isTrue();
        }
    }

    private static String probeRoute(String answer) {
        return """
                - route:
                    id: reload-probe
                    from:
                      uri: direct:reload-probe
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(answer);
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
