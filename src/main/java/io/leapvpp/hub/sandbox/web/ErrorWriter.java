package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.state.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

final class ErrorWriter {
    private ErrorWriter() {
    }

    static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(Json.write(body).getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /** A JSON string body, as Leap's create-meters 500 ("An error happened whilst processing your request"). */
    static void writeText(HttpServletResponse response, int status, String message) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(Json.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(message))
                .getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
