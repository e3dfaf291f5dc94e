package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import io.leapvpp.hub.operations.LeapEventLogContext;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * The webhook side of dispatch intake, called from routes/20-dispatch-receivers.camel.yaml: reads
 * the body within the configured limit (413 beyond it, before reading when Content-Length says so),
 * validates it (400 naming the field), and answers 200 {@code {received, created, updated,
 * unchanged, commands}} once {@link DispatchIntake} has committed.
 */
@Component("dispatchReceiver")
public class DispatchReceiver {

    private final DispatchProperties properties;
    private final DispatchNotificationParser parser;
    private final LeapEventLogContext eventLog;
    private final ObjectMapper json;

    public DispatchReceiver(DispatchProperties properties, DispatchNotificationParser parser,
                            LeapEventLogContext eventLog, ObjectMapper json) {
        this.properties = properties;
        this.parser = parser;
        this.eventLog = eventLog;
        this.json = json;
    }

    public DispatchNotification read(Exchange exchange, String kind) {
        long max = properties.webhook().maxBodyBytes();
        Long declared = exchange.getProperty(InboundHttp.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > max) {
            throw HttpRejection.tooLarge("body of " + declared + " bytes exceeds the limit of " + max + " bytes");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        exchange.setProperty(InboundHttp.BODY, body);
        if (body.length > max) {
            throw HttpRejection.tooLarge("body of " + body.length + " bytes exceeds the limit of " + max + " bytes");
        }
        if (body.length == 0) {
            throw HttpRejection.badRequest("body: empty, a JSON dispatch notification is expected");
        }
        DispatchNotification notification = parser.parse(DispatchKind.valueOf(kind), new String(body, StandardCharsets.UTF_8));
        if (notification.timeslotCount() == 1) {
            eventLog.tag(exchange, notification.dispatches().stream().flatMap(d -> d.timeslots().stream())
                    .findFirst().map(t -> t.eventId().toString()).orElse(null));
        }
        return notification;
    }

    public void acknowledge(Exchange exchange, DispatchIntake.Result result) {
        ObjectNode answer = json.createObjectNode();
        answer.put("received", result.received());
        answer.put("created", result.created());
        answer.put("updated", result.updated());
        answer.put("unchanged", result.unchanged());
        answer.put("commands", result.commands());
        HttpReplies.json(exchange, 200, answer.toString());
    }
}
