package io.leapvpp.hub.operations;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker/ without a Docker engine, and that the configuration reference in
 * README.md names every environment variable the config files read.
 */
class DeploymentFilesTest {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeGivesTheHubEverySecretThatProductionRequires() throws Exception {
        Map<String, Object> compose = yaml(Path.of("docker/compose.yaml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("hub", "postgres", "mqtt", "sftp", "smtp");
        Map<String, Object> hubEnv = (Map<String, Object>) ((Map<String, Object>) services.get("hub")).get("environment");
        assertThat(hubEnv.get("SPRING_PROFILES_ACTIVE")).isEqualTo("production");

        Map<String, Object> production = yaml(Path.of("config/application-production.yaml"));
        Map<String, Object> security = (Map<String, Object>) ((Map<String, Object>) production.get("hub")).get("security");
        Map<String, String> required = (Map<String, String>) security.get("required-secrets");
        assertThat(required).isNotEmpty();
        assertThat(hubEnv).containsKeys(required.values().toArray(String[]::new));
    }

    @Test
    void dockerfileRunsAsNonRootFromALayeredJar() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertThat(dockerfile).contains("AS build").contains("--layers").contains("USER hub")
                .contains("SPRING_PROFILES_ACTIVE=production");
    }

    @Test
    void readmeDocumentsEveryEnvironmentVariableTheConfigurationReads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> undocumented;
        try (var files = Files.list(Path.of("config"))) {
            undocumented = files.filter(f -> f.toString().endsWith(".yaml"))
                    .flatMap(f -> {
                        try {
                            String withoutComments = Files.readAllLines(f).stream()
                                    .filter(line -> !line.strip().startsWith("#")).collect(Collectors.joining("\n"));
                            Matcher m = ENV_PLACEHOLDER.matcher(withoutComments);
                            return m.results().map(r -> r.group(1));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .distinct()
                    .filter(variable -> !readme.contains("`" + variable + "`"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(undocumented).as("environment variables missing from README.md's configuration reference").isEmpty();
    }
}
