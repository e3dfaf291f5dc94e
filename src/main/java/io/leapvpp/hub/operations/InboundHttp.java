package io.leapvpp.hub.operations;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first step of every platform-http route: keeps what the hub needs of the HTTP request
 * (the presented secret, the caller's address, the declared length, path and query) as exchange
 * properties, then drops every incoming header so nothing a caller sent can steer a later
 * producer (camel-notes §3.1: {@code CamelHttpUri}, mail {@code To}, …). Routes call
 * {@code bean: inboundHttp?method=capture(*, 'x-api-key')} and then {@code removeHeaders: "*"}.
 */
@Component("inboundHttp")
public class InboundHttp {

    public static final String SECRET = "hub.http.presentedSecret";
    public static final String REMOTE_ADDRESS = "hub.http.remoteAddress";
    public static final String CONTENT_LENGTH = "hub.http.contentLength";
    public static final String PATH = "hub.http.path";
    public static final String QUERY = "hub.http.query";
    public static final String BODY = "hub.http.body";
    public static final String PATH_VARIABLES = "hub.http.pathVariables";

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");

    public void capture(Exchange exchange, String secretHeaderName) {
        Message in = exchange.getIn();
        if (secretHeaderName != null && !secretHeaderName.isBlank()) {
            Object secret = in.getHeader(secretHeaderName); // Camel headers are case-insensitive
            if (secret != null) {
                exchange.setProperty(SECRET, secret.toString());
            }
        }
        exchange.setProperty(REMOTE_ADDRESS, remoteAddress(exchange));
        exchange.setProperty(PATH, in.getHeader(Exchange.HTTP_PATH, String.class));
        exchange.setProperty(QUERY, in.getHeader(Exchange.HTTP_QUERY, String.class));
        exchange.setProperty(PATH_VARIABLES, pathVariables(exchange));
        Object length = in.getHeader(Exchange.CONTENT_LENGTH);
        if (length == null) {
            length = in.getHeader("content-length");
        }
        if (length != null) {
            try {
                exchange.setProperty(CONTENT_LENGTH, Long.parseLong(length.toString().trim()));
            } catch (NumberFormatException ignored) {
                // a nonsense length is checked against the body actually read
            }
        }
    }

    static String remoteAddress(Exchange exchange) {
        if (exchange.getIn() instanceof PlatformHttpMessage m && m.getRequest() != null) {
            return m.getRequest().getRemoteAddr();
        }
        return null;
    }

    /** A variable of the route's path ({@code /api/meters/{meter_id}}), as captured; null when absent. */
    public static String pathVariable(Exchange exchange, String name) {
        Map<?, ?> variables = exchange.getProperty(PATH_VARIABLES, Map.class);
        Object value = variables == null ? null : variables.get(name);
        return value == null ? null : value.toString();
    }

    /**
     * The query string as captured, decoded; a parameter given twice is refused, so "which one counts" never
     * depends on the implementation.
     */
    public static Map<String, String> queryParameters(Exchange exchange) {
        String raw = exchange.getProperty(QUERY, String.class);
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw HttpRejection.badRequest("the query string is not properly URL-encoded");
            }
            if (out.put(name, value) != null) {
                throw HttpRejection.badRequest(name + ": given more than once");
            }
        }
        return out;
    }

    /** The values of the {name} variables in the consuming platform-http endpoint's path, which the component set as headers. */
    private static Map<String, String> pathVariables(Exchange exchange) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (exchange.getFromEndpoint() instanceof PlatformHttpEndpoint endpoint && endpoint.getPath() != null) {
            Matcher m = PATH_VARIABLE.matcher(endpoint.getPath());
            while (m.find()) {
                String value = exchange.getIn().getHeader(m.group(1), String.class);
                if (value != null) {
                    variables.put(m.group(1), value);
                }
            }
        }
        return variables;
    }
}
