package io.leapvpp.hub.sandbox.state;

/** One reason a request body was rejected; {@code index} is the position in a batch ({@code json_index}) or null. */
public record FieldProblem(String field, String message, Integer index) {
    public static FieldProblem of(String field, String message) {
        return new FieldProblem(field, message, null);
    }
}
