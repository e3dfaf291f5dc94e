package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collection;

/** The sandbox builds its JSON as trees so that field names are exactly Leap's and nulls are written only on purpose. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** For the control API's reports of sandbox records: snake_case names and ISO-8601 instants, like Leap's own JSON. */
    public static final ObjectMapper REPORT_MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static ArrayNode strings(Collection<?> values) {
        ArrayNode a = array();
        values.forEach(v -> a.add(String.valueOf(v)));
        return a;
    }

    public static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) node.put(field, value);
    }

    public static void putIfPresent(ObjectNode node, String field, Instant value) {
        if (value != null) node.put(field, value.toString());
    }

    public static void putIfPresent(ObjectNode node, String field, Double value) {
        if (value != null) node.put(field, value);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
