package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Where and with which headers Leap pushes: a dispatch webhook registration. */
public record PushTarget(String url, List<Header> headers) {
    public ObjectNode toDispatchWebhookJson() {
        ObjectNode o = Json.object();
        o.put("url", url);
        ArrayNode h = o.putArray("headers");
        headers.forEach(x -> h.addObject().put("name", x.name()).put("value", x.value()));
        return o;
    }
}
