package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.state.FieldProblem;
import io.leapvpp.hub.sandbox.state.Json;
import org.springframework.http.HttpStatus;

import java.util.List;

/** Renders an error in the envelope of the service (GUIDE §1.5, reference/error-codes.yml). */
public final class ErrorEnvelopes {
    private ErrorEnvelopes() {
    }

    public static ObjectNode render(LeapService service, ApiException e) {
        return render(service, e.status(), e.getMessage(), e.problems(), e.details());
    }

    public static ObjectNode render(LeapService service, int status, String message, List<FieldProblem> problems, ObjectNode details) {
        String summary = message != null ? message : reason(status);
        switch (service) {
            case DISPATCH: {
                ObjectNode o = Json.object();
                o.put("code", dispatchCode(status));
                o.put("message", problems.isEmpty() ? summary : summary + ": " + describe(problems));
                String errorCode = dispatchErrorCode(status);
                if (errorCode != null) o.put("error_code", errorCode);
                return o;
            }
            case WEBHOOKS:
            case CONTROL: {
                ObjectNode o = Json.object();
                o.put("error", reason(status));
                o.put("message", problems.isEmpty() ? summary : summary + ": " + describe(problems));
                return o;
            }
            case SINGLE_METER:
                if (status == 400) {
                    ObjectNode o = Json.object();
                    ArrayNode errors = o.putArray("errors");
                    if (problems.isEmpty()) errors.addObject().put("description", summary);
                    problems.forEach(p -> errors.addObject().put("field", p.field()).put("description", p.message()));
                    return o;
                }
                return titleStatusDetails(status, summary, problems, details, false);
            case METER_JOBS:
                // Create-meters validation errors are a list of {message, json_index, problem_field} (the spec's example)
                return titleStatusDetails(status, summary, problems, details, status == 400 && !problems.isEmpty());
            default:
                return titleStatusDetails(status, summary, problems, details, false);
        }
    }

    private static ObjectNode titleStatusDetails(int status, String title, List<FieldProblem> problems, ObjectNode details, boolean asList) {
        ObjectNode o = Json.object();
        o.put("title", title);
        o.put("status", status);
        if (asList) {
            ArrayNode list = o.putArray("details");
            for (FieldProblem p : problems) {
                ObjectNode item = list.addObject();
                item.put("message", p.message());
                if (p.index() != null) item.put("json_index", p.index());
                item.put("problem_field", p.field());
            }
        } else {
            ObjectNode d = details != null ? details.deepCopy() : Json.object();
            problems.forEach(p -> d.put(p.field(), p.message()));
            o.set("details", d);
        }
        return o;
    }

    private static String describe(List<FieldProblem> problems) {
        StringBuilder sb = new StringBuilder();
        for (FieldProblem p : problems) {
            if (sb.length() > 0) sb.append("; ");
            if (p.index() != null) sb.append('[').append(p.index()).append("].");
            sb.append(p.field()).append(' ').append(p.message());
        }
        return sb.toString();
    }

    static String reason(int status) {
        HttpStatus s = HttpStatus.resolve(status);
        return s != null ? s.getReasonPhrase() : "Error";
    }

    private static String dispatchCode(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
        };
    }

    private static String dispatchErrorCode(int status) {
        return switch (status) {
            case 400 -> "DISPATCH_INVALID_INPUT";
            case 401, 403 -> "DISPATCH_UNAUTHORIZED";
            case 404 -> "DISPATCH_NO_ACCESS_TO_RESOURCE";
            default -> status >= 500 ? "DISPATCH_UNEXPECTED_ERROR" : null;
        };
    }
}
