package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.operations.HttpRejection;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds Leap Connect URLs (GUIDE §3.1) in the configured format, every part percent-encoded (RFC 3986: only
 * letters, digits and {@code -._~} stay as they are):
 * <ul>
 *   <li>{@code onboarding}: {@code https://onboarding.leap.energy/<organization>/<flow>/?requestedUtilities=PGE,SCE&refId=<ref>}
 *       ({@code requestedUtilities} left out when none are requested: Leap then offers every utility of the region);</li>
 *   <li>{@code connect}: {@code https://connect.leap.energy?transmissionRegion=CAISO&account=<organization>&variant=COMMERCIAL&program=<p>&refId=<ref>}
 *       ({@code program} only when configured). This format has no requested utilities.</li>
 * </ul>
 */
public final class ConnectUrls {

    private final ConnectProperties properties;

    public ConnectUrls(ConnectProperties properties) {
        this.properties = properties;
    }

    public String format() {
        return properties.urlFormat();
    }

    /** The link for a validated request; 503 when the configuration cannot build one, 400 for what the format cannot say. */
    public String build(String partnerReference, List<String> requestedUtilities) {
        List<String> missing = properties.missingForLinks();
        if (!missing.isEmpty()) {
            throw new HttpRejection(503, "not_configured", "Connect links cannot be issued until " + String.join(", ", missing) + " is set");
        }
        if (ConnectProperties.CONNECT.equals(properties.urlFormat())) {
            if (!requestedUtilities.isEmpty()) {
                throw new ConnectLinkRequest.Invalid("requested_utilities: the connect.leap.energy link format (hub.onboarding.connect.url-format=connect)"
                        + " has no requested utilities; leave them out or use the onboarding format");
            }
            StringBuilder url = new StringBuilder(stripTrailingSlash(properties.connectBaseUrl()))
                    .append("?transmissionRegion=").append(encode(properties.transmissionRegion()))
                    .append("&account=").append(encode(properties.organization()))
                    .append("&variant=").append(encode(properties.variant()));
            if (properties.program() != null) {
                url.append("&program=").append(encode(properties.program()));
            }
            return url.append("&refId=").append(encode(partnerReference)).toString();
        }
        StringBuilder url = new StringBuilder(stripTrailingSlash(properties.onboardingBaseUrl()))
                .append('/').append(encode(properties.organization()))
                .append('/').append(encode(properties.flow()))
                .append("/?");
        if (!requestedUtilities.isEmpty()) {
            url.append("requestedUtilities=").append(String.join(",", requestedUtilities.stream().map(ConnectUrls::encode).toList())).append('&');
        }
        return url.append("refId=").append(encode(partnerReference)).toString();
    }

    /** Percent-encoding of everything but RFC 3986's unreserved characters, so a value can sit in a path or a query. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
