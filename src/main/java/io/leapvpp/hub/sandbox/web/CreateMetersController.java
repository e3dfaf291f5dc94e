package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.state.BatchJob;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.FieldProblem;
import io.leapvpp.hub.sandbox.state.Json;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Create Meters API v1.1: batch jobs and the synchronous single-meter call. */
@SandboxController
public class CreateMetersController {

    private final SandboxState state;

    public CreateMetersController(SandboxState state) {
        this.state = state;
    }

    @PostMapping("/v1.1/jobs/meters")
    public ResponseEntity<JsonNode> createJob(@RequestBody(required = false) String body,
                                              @RequestParam(name = "update_existing", required = false) String updateExisting,
                                              @RequestParam(name = "file_name", required = false) String fileName) {
        boolean update = Bodies.queryBoolean("update_existing", updateExisting, false);
        String name = CreateMeterValidator.fileName(fileName);
        BodyReader reader = Bodies.object(body, false);
        JsonNode assets = reader.node().get("assets");
        if (assets == null || !assets.isArray() || assets.isEmpty()) {
            throw ApiException.badRequest(List.of(FieldProblem.of("assets", "must be a non-empty array")));
        }
        for (int i = 0; i < assets.size(); i++) {
            CreateMeterValidator.validate(reader.element(assets.get(i), i));
        }
        Bodies.check(reader);
        List<ObjectNode> list = new ArrayList<>();
        assets.forEach(a -> list.add((ObjectNode) a));
        BatchJob job = state.meterJobs().submit(list, update, name);
        return ResponseEntity.status(201).body(Json.object().put("job_id", job.jobId().toString()));
    }

    @GetMapping("/v1.1/jobs/meters/{job_id}")
    public JsonNode job(@PathVariable("job_id") String jobId) {
        UUID id = Bodies.pathUuid("job_id", jobId, "Job id is not a UUID");
        return state.jobs().find(id)
                .orElseThrow(() -> new ApiException(404, "Job not found", List.of(), Json.object().put("job_id", jobId)))
                .toJson(true);
    }

    /**
     * Pages by position in submission order. {@code filter} (AND across filters, a comma-separated value list is an
     * IN): {@code status:}, {@code transmission_region:}, {@code file_name:} (exact). {@code search_query} (comma-separated
     * values, case-insensitive substring) needs {@code search_fields}: {@code file_name}, {@code partner_reference}.
     */
    @GetMapping("/v1.1/jobs/meters")
    public JsonNode jobs(@RequestParam(name = "page_token", required = false) String pageToken,
                         @RequestParam(name = "page_size", required = false) String pageSize,
                         @RequestParam(name = "filter", required = false) List<String> filters,
                         @RequestParam(name = "search_query", required = false) String searchQuery,
                         @RequestParam(name = "search_fields", required = false) List<String> searchFields) {
        int size = parseSize(pageSize);
        int offset = pageToken == null || pageToken.isEmpty() ? 0 : parseOffset(pageToken);
        List<String> fields = searchFields == null ? List.of() : searchFields.stream()
                .flatMap(f -> java.util.Arrays.stream(f.split(","))).map(String::trim).filter(f -> !f.isEmpty()).toList();
        if (searchQuery != null && !searchQuery.isBlank() && fields.isEmpty()) {
            throw ApiException.badRequest(List.of(FieldProblem.of("search_fields", "is required when search_query is given")));
        }
        for (String f : fields) {
            if (!f.equals("file_name") && !f.equals("partner_reference")) {
                throw ApiException.badRequest(List.of(FieldProblem.of("search_fields", "unknown field " + f
                        + " (file_name, partner_reference)")));
            }
        }
        List<String> terms = searchQuery == null ? List.of() : java.util.Arrays.stream(searchQuery.split(","))
                .map(t -> t.trim().toLowerCase(java.util.Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
        List<BatchJob> matching = state.jobs().all().stream()
                .filter(j -> matches(j, filters) && matchesSearch(j, terms, fields)).toList();
        ObjectNode response = Json.object();
        ArrayNode jobs = response.putArray("jobs");
        int end = Math.min(matching.size(), offset + size);
        for (int i = offset; i < end; i++) jobs.add(matching.get(i).toJson(false));
        if (end < matching.size()) {
            response.put("next_page_token", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("j1:" + end).getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    @PostMapping("/v1.1/meters")
    public JsonNode createSingle(@RequestBody(required = false) String body,
                                 @RequestParam(name = "update_existing", required = false) String updateExisting) {
        boolean update = Bodies.queryBoolean("update_existing", updateExisting, false);
        BodyReader reader = Bodies.object(body, false);
        reader.string("onboarding_token", true);
        if (reader.isObject("provisional_asset", true)) {
            CreateMeterValidator.validate(reader.nested("provisional_asset"));
        }
        Bodies.check(reader);
        ObjectNode asset = (ObjectNode) reader.node().get("provisional_asset");
        BatchJob job = new BatchJob(UUID.randomUUID(), null, update, List.of(asset));
        BatchJob.AssetResult result = state.meterJobs().createNow(asset, update);
        job.complete(List.of(result));
        state.jobs().put(job);
        ObjectNode response = (ObjectNode) job.toJson(true).get("assets").get(0);
        response.put("job_id", job.jobId().toString());
        response.set("data", asset);
        return response;
    }

    private static boolean matches(BatchJob job, List<String> filters) {
        if (filters == null) return true;
        for (String f : filters) {
            int colon = f.indexOf(':');
            if (colon < 0) continue;
            String key = f.substring(0, colon);
            List<String> values = java.util.Arrays.asList(f.substring(colon + 1).split(","));
            if (key.equals("status") && !values.contains(job.status())) return false;
            if (key.equals("file_name") && !values.contains(job.fileName())) return false;
            if (key.equals("transmission_region")
                    && job.submitted().stream().noneMatch(a -> values.contains(a.path("transmission_region").asText()))) return false;
        }
        return true;
    }

    private static boolean matchesSearch(BatchJob job, List<String> terms, List<String> fields) {
        if (terms.isEmpty()) return true;
        for (String term : terms) {
            if (fields.contains("file_name") && job.fileName().toLowerCase(java.util.Locale.ROOT).contains(term)) return true;
            if (fields.contains("partner_reference") && job.submitted().stream().anyMatch(a ->
                    a.path("partner_reference").asText().toLowerCase(java.util.Locale.ROOT).contains(term))) return true;
        }
        return false;
    }

    private static int parseSize(String pageSize) {
        if (pageSize == null || pageSize.isEmpty()) return 100;
        try {
            int s = Integer.parseInt(pageSize);
            if (s >= 1 && s <= 1000) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest(List.of(FieldProblem.of("page_size", "must be an integer between 1 and 1000")));
    }

    private static int parseOffset(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (raw.startsWith("j1:")) return Integer.parseInt(raw.substring(3));
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw ApiException.badRequest(List.of(FieldProblem.of("page_token", "is not a page token issued by this API")));
    }
}
