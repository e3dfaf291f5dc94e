package io.leapvpp.hub.operations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouteFilesCheckTest {

    @TempDir
    Path dir;

    @Test
    void aFileDefiningRoutesWithNoneRunningIsReportedTemplatesOnlyFilesAreNot() throws Exception {
        Path flow = Files.writeString(dir.resolve("20-flow.camel.yaml"), "- route:\n    id: flow\n");
        Path other = Files.writeString(dir.resolve("21-other.camel.yaml"), "- route:\n    id: other\n");
        Path templates = Files.writeString(dir.resolve("10-templates.camel.yaml"), "- routeTemplate:\n    id: t\n");

        List<String> missing = RouteFilesCheck.filesWithoutRoutes(List.of(flow, other, templates),
                List.of("file:" + dir + "/21-other.camel.yaml"), Set.of());

        assertThat(missing).containsExactly("20-flow.camel.yaml");
    }

    @Test
    void aFileOfTemplatedRoutesCountsAsLoadedWhenOneOfItsRouteIdsRuns() throws Exception {
        String templated = """
                - templatedRoute:
                    routeTemplateRef: hub-api
                    routeId: "read-one"
                    parameters:
                      - name: path
                        value: /api/one
                - templatedRoute:
                    routeTemplateRef: hub-api
                    routeId: read-two   # comment
                """;
        Path running = Files.writeString(dir.resolve("30-running.camel.yaml"), templated);
        Path stopped = Files.writeString(dir.resolve("31-stopped.camel.yaml"), templated.replace("read-", "gone-"));
        // the templated routes carry the template's file as their source
        List<String> sources = List.of("file:" + dir + "/05-hub-api.camel.yaml", "file:" + dir + "/05-hub-api.camel.yaml");

        assertThat(RouteFilesCheck.templatedRouteIds(running)).containsExactly("read-one", "read-two");
        assertThat(RouteFilesCheck.filesWithoutRoutes(List.of(running, stopped), sources, Set.of("read-two")))
                .containsExactly("31-stopped.camel.yaml");
    }
}
