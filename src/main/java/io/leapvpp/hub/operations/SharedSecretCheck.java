package io.leapvpp.hub.operations;

import org.apache.camel.Exchange;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's one shared-secret check for inbound HTTP (dispatch webhooks, the read API, later the
 * platform-event receiver): the value presented in a header is compared with a configured secret in
 * constant time ({@link MessageDigest#isEqual}). The route names the <em>property</em> holding the
 * secret, never the secret itself, so route files and their dumps carry no secret. A blank
 * configured secret accepts nothing.
 */
@Component("sharedSecretCheck")
public class SharedSecretCheck {

    private final Environment environment;
    /** Resolving a property walks every property source; a webhook asks for the same secret thousands of times a second. */
    private final Map<String, Optional<String>> secrets = new ConcurrentHashMap<>();

    public SharedSecretCheck(Environment environment) {
        this.environment = environment;
    }

    /** Throws {@link HttpRejection} 401 unless the secret captured by {@link InboundHttp} matches property {@code secretProperty}. */
    public void require(Exchange exchange, String secretProperty, String headerName) {
        String presented = exchange.getProperty(InboundHttp.SECRET, String.class);
        if (presented == null || presented.isEmpty()) {
            throw HttpRejection.unauthorized("missing header " + headerName);
        }
        if (!matches(presented, secret(secretProperty))) {
            throw HttpRejection.unauthorized("wrong value in header " + headerName);
        }
    }

    /** Does {@code presented} equal the secret in property {@code secretProperty}? */
    public boolean matchesProperty(String presented, String secretProperty) {
        return matches(presented, secret(secretProperty));
    }

    public static boolean matches(String presented, String expected) {
        if (presented == null || expected == null || expected.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private String secret(String property) {
        return secrets.computeIfAbsent(property, p -> Optional.ofNullable(environment.getProperty(p))).orElse(null);
    }
}
