package io.leapvpp.hub.operations;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.component.servlet.ServletEndpoint;
import org.apache.camel.http.common.HttpMessage;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first step of every HTTP route ({@code from: servlet:…}, {@link HttpRoutesServlet}): keeps what the hub needs of the HTTP request
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
        String path = rawPath(exchange);
        exchange.setProperty(PATH, path);
        exchange.setProperty(QUERY, in.getHeader(Exchange.HTTP_QUERY, String.class));
        exchange.setProperty(PATH_VARIABLES, pathVariables(exchange, path));
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
        HttpServletRequest request = request(exchange);
        return request == null ? null : request.getRemoteAddr();
    }

    private static HttpServletRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
    }

    /** The request's path within the application, still percent-encoded (a variable's value may hold an encoded '/'). */
    private static String rawPath(Exchange exchange) {
        HttpServletRequest request = request(exchange);
        if (request == null || request.getRequestURI() == null) {
            return null;
        }
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
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

    /** The values of the {name} variables of the consuming endpoint's path, as they appear in the request path (encoded). */
    private static Map<String, String> pathVariables(Exchange exchange, String path) {
        if (exchange.getFromEndpoint() instanceof ServletEndpoint endpoint && endpoint.getPath() != null && path != null) {
            return pathVariables(endpoint.getPath(), path);
        }
        return new LinkedHashMap<>();
    }

    /** Matches {@code /api/meters/{meter_id}} against {@code /api/meters/abc} segment by segment; empty when it does not match. */
    static Map<String, String> pathVariables(String template, String path) {
        Map<String, String> variables = new LinkedHashMap<>();
        String[] names = trimSlashes(template).split("/", -1);
        String[] values = trimSlashes(path).split("/", -1);
        if (names.length != values.length) {
            return new LinkedHashMap<>();
        }
        for (int i = 0; i < names.length; i++) {
            Matcher m = PATH_VARIABLE.matcher(names[i]);
            if (m.matches()) {
                variables.put(m.group(1), values[i]);
            } else if (!names[i].equals(values[i])) {
                return new LinkedHashMap<>();
            }
        }
        return variables;
    }

    private static String trimSlashes(String p) {
        int from = p.startsWith("/") ? 1 : 0;
        int to = p.endsWith("/") && p.length() > from ? p.length() - 1 : p.length();
        return p.substring(from, Math.max(from, to));
    }
}
