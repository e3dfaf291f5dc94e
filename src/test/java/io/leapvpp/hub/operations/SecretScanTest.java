package io.leapvpp.hub.operations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScanTest {

    @TempDir
    Path dir;

    @Test
    void findsEverySecretOfTheTestProfile() throws Exception {
        Set<String> secrets = SecretScan.secretsIn(Path.of("config/application-test.yaml"));
        assertThat(secrets).contains("test-leap-key-SECRET-7d41c9", "test-sftp-SECRET-91fa56").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void reportsASecretThatReachedALogAndNothingWhenNoneDid() throws Exception {
        Files.writeString(dir.resolve("clean.log"), "INFO started\nDEBUG GET /v2/meters 200\n");
        assertThat(SecretScan.findings(dir, Set.of("abc-SECRET-123456"))).isEmpty();

        Files.writeString(dir.resolve("leaky.log"), "INFO started\nDEBUG Authorization: Bearer abc-SECRET-123456\n");
        assertThat(SecretScan.findings(dir, Set.of("abc-SECRET-123456")))
                .containsExactly("leaky.log:2 contains the secret starting abc-SE");
    }
}
