package io.leapvpp.hub.operations;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after the unit and integration tests (failsafe, integration-test phase) and scans everything
 * they logged — hub startup, Leap calls at DEBUG, failures — for the secrets the test profile set.
 */
class NoSecretsInLogsIT {

    @Test
    void noConfiguredSecretAppearsInTheLogsOfTheTestRun() throws Exception {
        Path logDir = Path.of("target", "test-logs");
        Path log = logDir.resolve("hub-tests.log");
        assertThat(log).as("the test run's log (written by logback-test.xml)").exists();
        assertThat(Files.readString(log)).as("the log covers hub startups").contains("Started");

        Set<String> secrets = SecretScan.secretsIn(Path.of("config/application-test.yaml"));
        assertThat(secrets).isNotEmpty();
        assertThat(SecretScan.findings(logDir, secrets)).isEmpty();
    }
}
