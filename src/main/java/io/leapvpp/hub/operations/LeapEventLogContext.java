package io.leapvpp.hub.operations;

import org.apache.camel.Exchange;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Makes every log line of an exchange carry the Leap event it concerns ({@code leap_event_id} in
 * the log pattern). Routes call {@code bean: leapEventLog?method=tag(${...})} as soon as they know
 * the id; Camel's MDC propagation ({@code camel.main.mdc-logging-keys-pattern}) keeps it on the
 * lines logged by later steps, also on other threads.
 */
@Component("leapEventLog")
public class LeapEventLogContext {

    public static final String MDC_KEY = "leap_event_id";
    public static final String HEADER = "LeapEventId";

    public void tag(Exchange exchange, String leapEventId) {
        if (leapEventId == null || leapEventId.isBlank()) {
            return;
        }
        exchange.getMessage().setHeader(HEADER, leapEventId);
        // also on the exchange: dead-letter handling restores the original message, dropping headers
        exchange.setProperty(HEADER, leapEventId);
        MDC.put(MDC_KEY, leapEventId);
    }

    public static String eventIdOf(Exchange exchange) {
        String fromExchange = exchange.getProperty(HEADER, String.class);
        return fromExchange != null ? fromExchange : exchange.getMessage().getHeader(HEADER, String.class);
    }
}
