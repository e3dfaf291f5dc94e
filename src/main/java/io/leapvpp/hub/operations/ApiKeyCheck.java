package io.leapvpp.hub.operations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The hub's read APIs are protected by header {@code x-api-key} equal to {@code hub.api.key} (env {@code HUB_API_KEY}).
 * Compared in constant time; a blank configured key matches nothing.
 */
@Component("apiKeyCheck")
public class ApiKeyCheck {

    private final byte[] expected;

    public ApiKeyCheck(@Value("${hub.api.key:}") String key) {
        this.expected = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        // MessageDigest.isEqual runs in time that depends only on the expected key's length, not on where they differ
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
