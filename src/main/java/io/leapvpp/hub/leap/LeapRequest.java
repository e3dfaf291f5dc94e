package io.leapvpp.hub.leap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fully described Leap call for {@link LeapClient#execute(LeapRequest)}.
 *
 * @param service       the Leap service (decides the base path)
 * @param method        GET, POST, PUT or DELETE
 * @param path          path below the service base path, may contain {@code {placeholders}}
 * @param pathVariables values for the placeholders, in order (URL-encoded by the client)
 * @param query         query parameters; collection/array values become repeated parameters; nulls skipped
 * @param body          request body: JsonNode, Map, record/POJO, or a JSON String; null = no body
 * @param idempotent    whether the call may be repeated blindly after a 5xx / timeout
 * @param operation     name used in errors, logs and metrics (Leap operationId); defaults to {@code METHOD path}
 */
public record LeapRequest(LeapService service, String method, String path, List<Object> pathVariables,
                          Map<String, ?> query, Object body, boolean idempotent, String operation) {

    public LeapRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        method = method.toUpperCase(java.util.Locale.ROOT);
        pathVariables = pathVariables == null ? List.of() : List.copyOf(pathVariables);
        query = query == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
        if (operation == null || operation.isBlank()) {
            operation = method + " " + path;
        }
    }

    public static Builder get(LeapService service, String path) {
        return new Builder(service, "GET", path).idempotent(true);
    }

    /** A POST that creates something: NOT idempotent unless you say so. */
    public static Builder post(LeapService service, String path) {
        return new Builder(service, "POST", path).idempotent(false);
    }

    /** A read-only POST search: idempotent. */
    public static Builder search(LeapService service, String path) {
        return new Builder(service, "POST", path).idempotent(true);
    }

    public static Builder put(LeapService service, String path) {
        return new Builder(service, "PUT", path).idempotent(true);
    }

    public static Builder delete(LeapService service, String path) {
        return new Builder(service, "DELETE", path).idempotent(true);
    }

    public LeapRequest withBody(Object newBody) {
        return new LeapRequest(service, method, path, pathVariables, query, newBody, idempotent, operation);
    }

    public LeapRequest withQuery(Map<String, ?> newQuery) {
        return new LeapRequest(service, method, path, pathVariables, newQuery, body, idempotent, operation);
    }

    public static final class Builder {
        private final LeapService service;
        private final String method;
        private final String path;
        private List<Object> pathVariables = List.of();
        private final Map<String, Object> query = new LinkedHashMap<>();
        private Object body;
        private boolean idempotent;
        private String operation;

        private Builder(LeapService service, String method, String path) {
            this.service = service;
            this.method = method;
            this.path = path;
        }

        public Builder pathVariables(Object... values) {
            this.pathVariables = values == null ? List.of() : java.util.Arrays.asList(values);
            return this;
        }

        public Builder query(String name, Object value) {
            this.query.put(name, value);
            return this;
        }

        public Builder query(Map<String, ?> values) {
            if (values != null) {
                this.query.putAll(values);
            }
            return this;
        }

        public Builder body(Object body) {
            this.body = body;
            return this;
        }

        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        public LeapRequest build() {
            return new LeapRequest(service, method, path, pathVariables, query, body, idempotent, operation);
        }
    }
}
