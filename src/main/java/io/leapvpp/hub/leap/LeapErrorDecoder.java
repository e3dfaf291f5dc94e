package io.leapvpp.hub.leap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;

/**
 * Turns any Leap error response into a {@link LeapError} / {@link LeapApiException}.
 *
 * <p>Recognises every envelope of GUIDE §1.5 (title/status/details with object or array details,
 * create-single-meter {@code errors[]}, revenue {@code details[{message, description}]}, dispatch
 * {@code {code, message, error_code}}, webhook {@code {error, message}}, a bare validation error,
 * untyped objects) and falls back to the raw text for JSON strings, plain text, HTML, garbage and
 * empty bodies. Decoding never throws.
 */
public class LeapErrorDecoder {

    /** Raw bodies are kept up to this many characters. */
    public static final int MAX_RAW_BODY_CHARS = 8192;
    /** Messages derived from free text / untyped JSON are cut to this length. */
    static final int MAX_MESSAGE_CHARS = 500;

    private static final Pattern HTML_TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_BLOCKS = Pattern.compile("<(script|style)[^>]*>.*?</\\1>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");

    private final ObjectMapper mapper;

    public LeapErrorDecoder() {
        this(new ObjectMapper());
    }

    public LeapErrorDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Decode an HTTP error response into an exception (category from the status). */
    public LeapApiException toException(int status, String body, LeapService service, String operation,
                                        String method, String path, int attempts) {
        LeapError error = decode(status, body);
        return new LeapApiException(status, service, operation, method, path, error,
                LeapErrorCategory.forStatus(status), attempts, null);
    }

    /** Decode a body; never throws. */
    public LeapError decode(int status, String body) {
        String raw = cap(body == null ? "" : body, MAX_RAW_BODY_CHARS);
        try {
            return doDecode(status, body == null ? "" : body, raw);
        } catch (RuntimeException | StackOverflowError e) {
            return new LeapError(LeapError.Envelope.TEXT, statusCode(status), reason(status),
                    textMessage(raw, status), List.of(), raw);
        }
    }

    private LeapError doDecode(int status, String body, String raw) {
        String trimmed = body.strip();
        if (trimmed.isEmpty()) {
            return new LeapError(LeapError.Envelope.EMPTY, statusCode(status), reason(status),
                    "HTTP " + status + " " + reason(status) + " (empty body)", List.of(), raw);
        }
        JsonNode json = parseJson(trimmed);
        if (json == null) {
            return new LeapError(LeapError.Envelope.TEXT, statusCode(status), reason(status),
                    textMessage(trimmed, status), List.of(), raw);
        }
        if (json.isTextual()) {
            // e.g. 500 "An error happened whilst processing your request" served as a JSON string
            return new LeapError(LeapError.Envelope.TEXT, statusCode(status), reason(status),
                    orDefault(cap(json.asText().strip(), MAX_MESSAGE_CHARS), status), List.of(), raw);
        }
        if (json.isArray()) {
            List<LeapErrorDetail> details = detailsFrom(json);
            return new LeapError(LeapError.Envelope.UNTYPED_JSON, statusCode(status), reason(status),
                    details.isEmpty() ? reason(status) : details.get(0).summary(), details, raw);
        }
        if (!json.isObject()) {
            return new LeapError(LeapError.Envelope.TEXT, statusCode(status), reason(status),
                    textMessage(trimmed, status), List.of(), raw);
        }
        return decodeObject(status, json, raw);
    }

    private LeapError decodeObject(int status, JsonNode json, String raw) {
        // 1. create single meter: {errors:[{field, description, suggestions:[{suggestions:[{field, suggestion}]}]}]}
        if (json.path("errors").isArray()) {
            List<LeapErrorDetail> details = new ArrayList<>();
            for (JsonNode e : json.get("errors")) {
                if (e.isObject()) {
                    String description = text(e, "description");
                    details.add(new LeapErrorDetail(description != null ? description : firstText(e, "message"),
                            text(e, "field"), null, null, null, suggestions(e.path("suggestions"))));
                } else {
                    details.add(LeapErrorDetail.of(null, e.isTextual() ? e.asText() : e.toString()));
                }
            }
            String message = details.isEmpty() ? reason(status) : details.get(0).summary()
                    + (details.size() > 1 ? " (+" + (details.size() - 1) + " more)" : "");
            return new LeapError(LeapError.Envelope.CREATE_METER_ERRORS, statusCode(status), reason(status),
                    message, details, raw);
        }
        // 2. dispatch v2: {code, message, error_code}
        if (json.hasNonNull("error_code") || (json.path("code").isTextual() && json.has("message")
                && !json.has("title"))) {
            String coarse = text(json, "code");
            String fine = text(json, "error_code");
            String message = text(json, "message");
            return new LeapError(LeapError.Envelope.DISPATCH, fine != null ? fine : coarse,
                    coarse != null ? coarse : reason(status), orDefault(message, status), List.of(), raw);
        }
        // 3. {title, status, details}: details as object, array, string or absent
        if (json.has("title") || (json.has("status") && json.has("details"))) {
            String title = text(json, "title");
            List<LeapErrorDetail> details = detailsFrom(json.path("details"));
            String message = title != null ? title : (details.isEmpty() ? reason(status) : details.get(0).summary());
            return new LeapError(LeapError.Envelope.TITLE_STATUS_DETAILS, statusCode(status),
                    title != null ? title : reason(status), message, details, raw);
        }
        // 4. webhook subscription API: {error, message}
        if (json.path("error").isTextual()) {
            String error = json.get("error").asText();
            String message = text(json, "message");
            return new LeapError(LeapError.Envelope.WEBHOOK, upperSnake(error, status), error,
                    message != null ? message : error, List.of(), raw);
        }
        // 5. bare validation error {message, json_index|csv_row, problem_field}
        if (json.path("message").isTextual()) {
            LeapErrorDetail detail = detailFromObject(json);
            List<LeapErrorDetail> details = (detail.field() != null || detail.jsonIndex() != null
                    || detail.csvRow() != null) ? List.of(detail) : List.of();
            return new LeapError(LeapError.Envelope.MESSAGE, statusCode(status), reason(status),
                    json.get("message").asText(), details, raw);
        }
        // 6. anything else (interval-data upload declares bare objects)
        List<LeapErrorDetail> details = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            details.add(LeapErrorDetail.of(f.getKey(), valueText(f.getValue())));
        }
        String message = json.isEmpty() ? "HTTP " + status + " " + reason(status)
                : cap(json.toString(), MAX_MESSAGE_CHARS);
        return new LeapError(LeapError.Envelope.UNTYPED_JSON, statusCode(status), reason(status), message,
                details, raw);
    }

    private List<LeapErrorDetail> detailsFrom(JsonNode details) {
        List<LeapErrorDetail> out = new ArrayList<>();
        if (details == null || details.isMissingNode() || details.isNull()) {
            return out;
        }
        if (details.isArray()) {
            for (JsonNode d : details) {
                if (d.isObject()) {
                    out.add(detailFromObject(d));
                } else if (!d.isNull()) {
                    out.add(LeapErrorDetail.of(null, valueText(d)));
                }
            }
        } else if (details.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = details.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String key = f.getKey();
                boolean isMessage = "error".equals(key) || "message".equals(key) || "description".equals(key);
                out.add(LeapErrorDetail.of(isMessage ? null : key, valueText(f.getValue())));
            }
        } else {
            out.add(LeapErrorDetail.of(null, valueText(details)));
        }
        return out;
    }

    private LeapErrorDetail detailFromObject(JsonNode d) {
        String message = firstText(d, "message", "error", "description", "detail");
        String description = text(d, "description");
        if (description != null && description.equals(message)) {
            description = null;
        }
        String field = firstText(d, "problem_field", "field", "column");
        Integer jsonIndex = d.path("json_index").canConvertToInt() && d.hasNonNull("json_index")
                ? d.get("json_index").asInt() : null;
        Integer csvRow = d.path("csv_row").canConvertToInt() && d.hasNonNull("csv_row")
                ? d.get("csv_row").asInt() : null;
        if (message == null) {
            message = d.toString();
        }
        return new LeapErrorDetail(message, field, description, jsonIndex, csvRow, List.of());
    }

    private static List<String> suggestions(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (!node.isArray()) {
            return out;
        }
        for (JsonNode group : node) {
            JsonNode inner = group.path("suggestions");
            Iterable<JsonNode> items = inner.isArray() ? inner : List.of(group);
            for (JsonNode s : items) {
                if (s.isObject() && (s.has("field") || s.has("suggestion"))) {
                    String value = s.path("suggestion").isValueNode() ? s.path("suggestion").asText()
                            : s.path("suggestion").toString();
                    out.add(s.path("field").asText("") + "=" + value);
                } else if (s.isValueNode()) {
                    out.add(s.asText());
                }
            }
        }
        return out;
    }

    private JsonNode parseJson(String s) {
        char c = s.charAt(0);
        if (c != '{' && c != '[' && c != '"') {
            return null;
        }
        try {
            return mapper.readTree(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static String textMessage(String text, int status) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<") || lower.contains("<html") || lower.contains("<body")) {
            Matcher m = HTML_TITLE.matcher(t);
            String extracted;
            if (m.find() && !m.group(1).isBlank()) {
                extracted = m.group(1);
            } else {
                extracted = TAGS.matcher(HTML_BLOCKS.matcher(t).replaceAll(" ")).replaceAll(" ");
            }
            t = extracted.replaceAll("\\s+", " ").strip();
        } else {
            t = t.replaceAll("\\s+", " ");
        }
        // drop control characters that garbage bodies may contain
        t = t.replaceAll("[\\p{Cntrl}&&[^\\t]]", "?");
        return orDefault(cap(t, MAX_MESSAGE_CHARS), status);
    }

    private static String orDefault(String message, int status) {
        return (message == null || message.isBlank()) ? "HTTP " + status + " " + reason(status) : message;
    }

    private static String valueText(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : cap(v.toString(), MAX_MESSAGE_CHARS);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static String statusCode(int status) {
        HttpStatus s = HttpStatus.resolve(status);
        return s != null ? s.name() : "HTTP_" + status;
    }

    static String reason(int status) {
        HttpStatus s = HttpStatus.resolve(status);
        return s != null ? s.getReasonPhrase() : "HTTP " + status;
    }

    private static String upperSnake(String s, int status) {
        String r = s.strip().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "").toUpperCase(Locale.ROOT);
        return r.isEmpty() ? statusCode(status) : r;
    }

    static String cap(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "…[truncated " + (s.length() - max) + " chars]";
    }
}
