package io.leapvpp.hub.operations;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

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
}
