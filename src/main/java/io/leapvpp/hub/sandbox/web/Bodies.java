package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.FieldProblem;
import io.leapvpp.hub.sandbox.state.Json;

import java.util.List;
import java.util.UUID;

/** Parsing helpers shared by the controllers; every failure is an {@link ApiException} with status 400. */
final class Bodies {
    private Bodies() {
    }

    /** The JSON object of a request body; an empty body counts as {} only when {@code emptyAllowed}. */
    static BodyReader object(String body, boolean emptyAllowed) {
        if (body == null || body.isBlank()) {
            if (emptyAllowed) return BodyReader.of(Json.object());
            throw ApiException.badRequest(List.of(FieldProblem.of("body", "is required")));
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest(List.of(FieldProblem.of("body", "is not valid JSON")));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest(List.of(FieldProblem.of("body", "must be a JSON object")));
        }
        return BodyReader.of(node);
    }

    static void check(BodyReader reader) {
        if (!reader.ok()) throw ApiException.badRequest(reader.problems());
    }

    static UUID pathUuid(String name, String value, String title) {
        UUID id = BodyReader.parseUuid(value);
        if (id == null) {
            throw new ApiException(400, title, List.of(), Json.object().put(name, value));
        }
        return id;
    }

    static boolean queryBoolean(String name, String value, boolean defaultValue) {
        if (value == null || value.isEmpty()) return defaultValue;
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw ApiException.badRequest(List.of(FieldProblem.of(name, "must be true or false")));
    }
}
