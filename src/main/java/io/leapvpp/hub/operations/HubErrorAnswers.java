package io.leapvpp.hub.operations;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Answers every request no route or controller answered itself (an unknown path, a method a route does not take, a
 * failure before a route ran) in the hub's shape {@code {error, detail}}, instead of Spring Boot's
 * {@code {timestamp, status, error, path}} page: a caller of the hub sees one error format, never a stack trace.
 * Replaces Spring Boot's BasicErrorController, which backs off when an {@link ErrorController} exists.
 */
@RestController
public class HubErrorAnswers implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(HubErrorAnswers.class);

    @RequestMapping(path = "${server.error.path:/error}", produces = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, String>> answer(HttpServletRequest request) {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object method = request.getMethod();
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status >= 500) {
            log.error("{} {} answered {} before any route handled it", method, path, status, failure);
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error(status));
        body.put("detail", detail(status, String.valueOf(method), String.valueOf(path)));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    static String error(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 413 -> "payload_too_large";
            case 503 -> "unavailable";
            default -> {
                if (status >= 500) {
                    yield "internal_error";
                }
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "http_" + status : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            }
        };
    }

    static String detail(int status, String method, String path) {
        return switch (status) {
            case 404 -> "no resource at " + path;
            case 405 -> path + " does not accept " + method;
            default -> status >= 500 ? "the hub could not process the request; retry later"
                    : method + " " + path + " was refused (" + status + ")";
        };
    }
}
