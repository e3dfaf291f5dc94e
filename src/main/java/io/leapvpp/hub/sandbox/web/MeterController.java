package io.leapvpp.hub.sandbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.state.BodyReader;
import io.leapvpp.hub.sandbox.state.Json;
import io.leapvpp.hub.sandbox.state.Meter;
import io.leapvpp.hub.sandbox.state.MeterFilter;
import io.leapvpp.hub.sandbox.state.MeterJson;
import io.leapvpp.hub.sandbox.state.MeterPage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Meter Details v2 and Meter Enrollment v2 (read side). */
@SandboxController
public class MeterController {

    private final SandboxState state;

    public MeterController(SandboxState state) {
        this.state = state;
    }

    @GetMapping("/v2/meters/{meter_id}")
    public JsonNode details(@PathVariable("meter_id") String meterId) {
        return MeterJson.details(meter(meterId));
    }

    @GetMapping("/v2/meters/{meter_id}/enrollments")
    public JsonNode enrollment(@PathVariable("meter_id") String meterId) {
        return MeterJson.enrollment(meter(meterId));
    }

    @PostMapping("/v2/meters/search")
    public JsonNode searchDetails(@RequestBody(required = false) String body) {
        return search(body, MeterJson::details);
    }

    @PostMapping("/v2/meters/enrollments/search")
    public JsonNode searchEnrollments(@RequestBody(required = false) String body) {
        return search(body, MeterJson::enrollment);
    }

    private JsonNode search(String body, Function<Meter, ObjectNode> render) {
        BodyReader reader = Bodies.object(body, true);
        MeterFilter filter = MeterFilter.parse(reader);
        Bodies.check(reader);
        MeterPage page = state.meters().search(filter);
        ObjectNode response = Json.object();
        ArrayNode meters = response.putArray("meters");
        page.meters().forEach(m -> meters.add(render.apply(m)));
        Json.putIfPresent(response, "next_page_token", page.nextPageToken());
        return response;
    }

    private Meter meter(String meterId) {
        UUID id = Bodies.pathUuid("meter_id", meterId, "Meter id is not a UUID");
        return state.meters().find(id).orElseThrow(() ->
                new ApiException(404, "Meter not found", List.of(), Json.object().put("meter_id", meterId)));
    }
}
