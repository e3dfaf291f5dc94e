package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.state.FieldProblem;

import java.util.List;

/** An error answer; rendered in the envelope of the service the request was for. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final List<FieldProblem> problems;
    private final ObjectNode details;

    public ApiException(int status, String message) {
        this(status, message, List.of(), null);
    }

    public ApiException(int status, String message, List<FieldProblem> problems) {
        this(status, message, problems, null);
    }

    /** @param details the {title,status,details} envelope's details object, e.g. {"meter_id": "..."} */
    public ApiException(int status, String message, List<FieldProblem> problems, ObjectNode details) {
        super(message, null, false, false);
        this.status = status;
        this.problems = List.copyOf(problems);
        this.details = details;
    }

    public static ApiException badRequest(List<FieldProblem> problems) {
        return new ApiException(400, "Bad Request", problems);
    }

    public int status() { return status; }
    public List<FieldProblem> problems() { return problems; }
    public ObjectNode details() { return details; }
}
