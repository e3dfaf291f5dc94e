package io.leapvpp.hub.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds configured secrets in log files. */
final class SecretScan {

    /** The test profile's secrets all carry this marker so they can be found in any text. */
    static final Pattern TEST_SECRET = Pattern.compile("[A-Za-z0-9-]*-SECRET-[0-9a-f]{6}");

    private SecretScan() {
    }

    static Set<String> secretsIn(Path configFile) throws IOException {
        Set<String> secrets = new LinkedHashSet<>();
        Matcher m = TEST_SECRET.matcher(Files.readString(configFile));
        while (m.find()) {
            secrets.add(m.group());
        }
        return secrets;
    }

    /** Each finding names the file, line number and which secret, never the secret's surroundings. */
    static List<String> findings(Path logDir, Set<String> secrets) throws IOException {
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    for (String secret : secrets) {
                        if (lines.get(i).contains(secret)) {
                            findings.add(file.getFileName() + ":" + (i + 1) + " contains the secret starting " + secret.substring(0, 6));
                        }
                    }
                }
            }
        }
        return findings;
    }
}
