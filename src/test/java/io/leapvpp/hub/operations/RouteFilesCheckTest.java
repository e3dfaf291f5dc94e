package io.leapvpp.hub.operations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
                List.of("file:" + dir + "/21-other.camel.yaml"));

        assertThat(missing).containsExactly("20-flow.camel.yaml");
    }

    @Test
    void aFileOfTemplatedRoutesCountsAsLoadedWhenOneOfItsRouteIdsRuns() throws Exception {
        Path templates = Files.writeString(dir.resolve("05-template.camel.yaml"), "- routeTemplate:\n    id: t\n");
        Path instances = Files.writeString(dir.resolve("45-instances.camel.yaml"),
                "- templatedRoute:\n    routeTemplateRef: t\n    routeId: my-inbox\n");
        // the route made from the template names the template's file as its source
        List<String> sources = List.of("file:" + dir + "/05-template.camel.yaml");

        assertThat(RouteFilesCheck.filesWithoutRoutes(List.of(templates, instances), sources, List.of("my-inbox"))).isEmpty();
        assertThat(RouteFilesCheck.filesWithoutRoutes(List.of(templates, instances), sources, List.of("other")))
                .containsExactly("45-instances.camel.yaml");
    }
}
