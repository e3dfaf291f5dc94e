package io.leapvpp.hub.sandbox.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.io.IOException;
import java.util.List;

/** Maps every exception to the service's JSON envelope (no stack traces, no HTML error pages). */
final class SandboxExceptionResolver implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        LeapService service = LeapService.of(request.getRequestURI());
        ApiException api = toApiException(ex);
        try {
            ErrorWriter.write(response, api.status(), ErrorEnvelopes.render(service, api));
        } catch (IOException ignored) {
            // client went away
        }
        return new ModelAndView();
    }

    private static ApiException toApiException(Exception ex) {
        if (ex instanceof ApiException a) return a;
        if (ex instanceof NoHandlerFoundException || ex instanceof NoResourceFoundException) return new ApiException(404, "Not Found");
        if (ex instanceof HttpRequestMethodNotSupportedException) return new ApiException(405, "Method Not Allowed");
        if (ex instanceof HttpMediaTypeException) return new ApiException(415, "Unsupported Media Type");
        if (ex instanceof MethodArgumentTypeMismatchException m) {
            return new ApiException(400, "Bad Request", List.of(io.leapvpp.hub.sandbox.state.FieldProblem.of(m.getName(), "has an invalid value")));
        }
        if (ex instanceof ServletRequestBindingException) return new ApiException(400, "Bad Request");
        return new ApiException(500, "An error happened whilst processing your request");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
