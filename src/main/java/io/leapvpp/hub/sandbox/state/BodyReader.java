package io.leapvpp.hub.sandbox.state;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads fields from a lenient JSON body (unknown fields are ignored) and collects every problem instead of stopping at
 * the first, the way Leap lists all invalid fields in one 400.
 */
public final class BodyReader {

    public static final Pattern PARTNER_REFERENCE = Pattern.compile("^[^/\\\\?\\]\\[{}!#$%^&*()<>|]{3,256}$");

    private final JsonNode node;
    private final String prefix;
    private final Integer index;
    private final List<FieldProblem> problems;

    private BodyReader(JsonNode node, String prefix, Integer index, List<FieldProblem> problems) {
        this.node = node;
        this.prefix = prefix;
        this.index = index;
        this.problems = problems;
    }

    public static BodyReader of(JsonNode node) {
        return new BodyReader(node, "", null, new ArrayList<>());
    }

    /** A reader for an element of a batch; its problems carry {@code index} and share this reader's list. */
    public BodyReader element(JsonNode element, int elementIndex) {
        return new BodyReader(element, "", elementIndex, problems);
    }

    public BodyReader nested(String field) {
        JsonNode child = node.get(field);
        return new BodyReader(child == null || child.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : child,
                prefix + field + ".", index, problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public JsonNode node() {
        return node;
    }

    public void problem(String field, String message) {
        problems.add(new FieldProblem(prefix + field, message, index));
    }

    public boolean present(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public boolean isObject(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required");
            return false;
        }
        if (!v.isObject()) {
            problem(field, "must be an object");
            return false;
        }
        return true;
    }

    public String string(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required");
            return null;
        }
        if (!v.isTextual()) {
            problem(field, "must be a string");
            return null;
        }
        if (required && v.asText().isBlank()) {
            problem(field, "must not be blank");
            return null;
        }
        return v.asText();
    }

    public String string(String field, boolean required, Pattern pattern, int maxLength) {
        String s = string(field, required);
        if (s == null) return null;
        if (s.length() > maxLength) {
            problem(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            problem(field, "does not match pattern " + pattern.pattern());
            return null;
        }
        return s;
    }

    public String enumValue(String field, boolean required, Set<String> allowed) {
        String s = string(field, required);
        if (s != null && !allowed.contains(s)) {
            problem(field, "must be one of " + allowed);
            return null;
        }
        return s;
    }

    public Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) {
            problem(field, "must be a boolean");
            return null;
        }
        return v.booleanValue();
    }

    public boolean bool(String field, boolean defaultValue) {
        Boolean b = bool(field);
        return b == null ? defaultValue : b;
    }

    public Integer integer(String field, boolean required, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required");
            return null;
        }
        if (!v.canConvertToInt() || !(v.isIntegralNumber())) {
            problem(field, "must be an integer");
            return null;
        }
        int i = v.intValue();
        if (i < min || i > max) {
            problem(field, "must be between " + min + " and " + max);
            return null;
        }
        return i;
    }

    public Double number(String field, boolean required, double min, double max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required");
            return null;
        }
        if (!v.isNumber()) {
            problem(field, "must be a number");
            return null;
        }
        double d = v.doubleValue();
        if (d < min || d > max) {
            problem(field, "must be between " + min + " and " + max);
            return null;
        }
        return d;
    }

    public Instant dateTime(String field, boolean required) {
        String s = string(field, required);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            problem(field, "must be an ISO-8601 date-time with offset, e.g. 2024-10-21T11:43:05Z");
            return null;
        }
    }

    public UUID uuid(String field, boolean required) {
        String s = string(field, required);
        if (s == null) return null;
        UUID u = parseUuid(s);
        if (u == null) problem(field, "must be a UUID");
        return u;
    }

    /**
     * A string array. Returns null when absent; records a problem (and returns null) when it is not an array, has fewer
     * than {@code minItems} or more than {@code maxItems} items, or an item fails {@code allowed}/{@code pattern}.
     */
    public List<String> strings(String field, boolean required, int minItems, int maxItems, Collection<String> allowed, Pattern pattern) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required");
            return null;
        }
        if (!v.isArray()) {
            problem(field, "must be an array");
            return null;
        }
        if (v.size() < minItems) {
            problem(field, "must contain at least " + minItems + " item(s)");
            return null;
        }
        if (v.size() > maxItems) {
            problem(field, "must contain at most " + maxItems + " items");
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                problem(field, "items must be strings");
                return null;
            }
            String s = item.asText();
            if (allowed != null && !allowed.contains(s)) {
                problem(field, "contains '" + s + "', allowed values are " + allowed);
                return null;
            }
            if (pattern != null && !pattern.matcher(s).matches()) {
                problem(field, "contains '" + s + "' which does not match " + pattern.pattern());
                return null;
            }
            out.add(s);
        }
        return new ArrayList<>(out);
    }

    public List<UUID> uuids(String field, boolean required, int minItems, int maxItems) {
        List<String> raw = strings(field, required, minItems, maxItems, null, null);
        if (raw == null) return null;
        List<UUID> out = new ArrayList<>();
        for (String s : raw) {
            UUID u = parseUuid(s);
            if (u == null) {
                problem(field, "contains '" + s + "' which is not a UUID");
                return null;
            }
            out.add(u);
        }
        return out;
    }

    public static UUID parseUuid(String s) {
        if (s == null || s.length() != 36) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
