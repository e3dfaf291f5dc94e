package io.leapvpp.hub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A plain HTTP client for tests; every call is kept as an {@link LeapOpenApiContract.Exchange} for validation. */
final class SandboxClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String apiKey;
    final List<LeapOpenApiContract.Exchange> exchanges = new ArrayList<>();

    SandboxClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    record Reply(int status, String body, LeapOpenApiContract.Exchange exchange) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Reply get(String pathAndQuery) { return send("GET", pathAndQuery, null, apiKey); }
    Reply delete(String pathAndQuery) { return send("DELETE", pathAndQuery, null, apiKey); }
    Reply post(String pathAndQuery, Object body) { return send("POST", pathAndQuery, body, apiKey); }
    Reply put(String pathAndQuery, Object body) { return send("PUT", pathAndQuery, body, apiKey); }

    Reply send(String method, String pathAndQuery, Object body, String key) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30));
            if (key != null) b.header("Authorization", "Bearer " + key);
            b.header("Accept", "application/json");
            if (text != null) b.header("Content-Type", "application/json");
            b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            HttpRequest request = b.build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int q = pathAndQuery.indexOf('?');
            Map<String, List<String>> headers = new TreeMap<>(request.headers().map());
            if (text != null) headers.put("Content-Type", List.of("application/json"));
            LeapOpenApiContract.Exchange exchange = new LeapOpenApiContract.Exchange(method,
                    q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1),
                    headers, text, response.statusCode(),
                    response.headers().firstValue("content-type").orElse(null), response.body());
            if (!pathAndQuery.startsWith("/sandbox")) exchanges.add(exchange);
            return new Reply(response.statusCode(), response.body(), exchange);
        } catch (Exception e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed", e);
        }
    }
}
