package io.leapvpp.hub.leap;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one client every route uses to call Leap's REST API.
 *
 * <ul>
 *   <li>{@code Authorization: Bearer <hub.leap.api-key>}, JSON in/out, HTTP/1.1, per-service base paths
 *       ({@link LeapService}); callers pass paths without the version segment.</li>
 *   <li>Lenient JSON: unknown fields and unknown enum values never fail; snake_case for typed records.</li>
 *   <li>Errors decoded by {@link LeapErrorDecoder} into {@link LeapApiException}.</li>
 *   <li>Retries 429, 5xx and I/O failures with exponential backoff + jitter (Retry-After honoured, capped);
 *       never other 4xx. Non-idempotent calls are retried only on 429 or when the connection could not be
 *       established; a 5xx / timeout / reset throws {@link LeapOutcomeUnknownException} instead.</li>
 *   <li>Cursor paging ({@code next_page_token} or {@code page_token}) with repeat and max-page guards.</li>
 * </ul>
 *
 * The API key and the Authorization header are never logged; DEBUG logs method, URL, status and duration.
 */
@Component
public class LeapClient {

    private static final Logger log = LoggerFactory.getLogger(LeapClient.class);

    /** Error bodies are read up to this many bytes for decoding. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}/]*}");
    private static final String METRIC_NAME = "leap.client.requests";

    private final LeapProperties properties;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final LeapRetryPolicy retryPolicy;
    private final LeapErrorDecoder decoder;
    private final MeterRegistry meterRegistry;

    @Autowired
    public LeapClient(LeapProperties properties, ObjectMapper objectMapper,
                      ObjectProvider<MeterRegistry> meterRegistry) {
        this(properties, objectMapper, null, Sleeper.THREAD, () -> ThreadLocalRandom.current().nextDouble(),
                meterRegistry == null ? null : meterRegistry.getIfAvailable());
    }

    public LeapClient(LeapProperties properties, ObjectMapper objectMapper) {
        this(properties, objectMapper, null, Sleeper.THREAD, () -> ThreadLocalRandom.current().nextDouble(), null);
    }

    /**
     * Full constructor (tests, tools).
     *
     * @param httpClient    null = build one from the properties
     * @param sleeper       waits between retries
     * @param jitterRandom  values in [0,1) for the jitter
     * @param meterRegistry optional; when set, a timer {@code leap.client.requests} per operation is recorded
     */
    public LeapClient(LeapProperties properties, ObjectMapper objectMapper, HttpClient httpClient, Sleeper sleeper,
                      DoubleSupplier jitterRandom, MeterRegistry meterRegistry) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.mapper = lenientCopy(objectMapper == null ? new ObjectMapper() : objectMapper);
        this.http = httpClient != null ? httpClient : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // never forward the bearer token elsewhere
                .build();
        this.sleeper = sleeper == null ? Sleeper.THREAD : sleeper;
        this.retryPolicy = new LeapRetryPolicy(properties.retry(), jitterRandom);
        this.decoder = new LeapErrorDecoder(this.mapper);
        this.meterRegistry = meterRegistry;
        if (!properties.hasApiKey()) {
            log.warn("hub.leap.api-key is not set; calls to {} will be rejected by Leap", properties.baseUrl());
        }
    }

    /** The lenient mapper used for all (de)serialisation; use it to convert responses to records. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    public LeapProperties properties() {
        return properties;
    }

    static ObjectMapper lenientCopy(ObjectMapper source) {
        ObjectMapper m = source.copy();
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        m.configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE, true);
        m.configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);
        m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
        m.configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);
        m.configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false);
        m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        m.registerModule(new JavaTimeModule());
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return m;
    }

    // ------------------------------------------------------------------ generic calls

    /** GET; idempotent. Path variables replace {@code {placeholders}} in order. */
    public JsonNode get(LeapService service, String path, Object... pathVariables) {
        return execute(LeapRequest.get(service, path).pathVariables(pathVariables).build());
    }

    /** GET with query parameters (collections become repeated parameters). */
    public JsonNode get(LeapService service, String path, Map<String, ?> query, Object... pathVariables) {
        return execute(LeapRequest.get(service, path).query(query).pathVariables(pathVariables).build());
    }

    public <T> T getAs(LeapService service, String path, Class<T> type, Object... pathVariables) {
        return execute(LeapRequest.get(service, path).pathVariables(pathVariables).build(), type);
    }

    /**
     * POST. Treated as idempotent only when the path ends with {@code /search} (Leap's read-only search idiom);
     * every other POST is treated as creating something and is never blindly retried. Use
     * {@link #search} or {@link #execute(LeapRequest)} to be explicit.
     */
    public JsonNode post(LeapService service, String path, Object body, Object... pathVariables) {
        LeapRequest.Builder b = isSearchPath(path) ? LeapRequest.search(service, path) : LeapRequest.post(service, path);
        return execute(b.body(body).pathVariables(pathVariables).build());
    }

    public <T> T postAs(LeapService service, String path, Object body, Class<T> type, Object... pathVariables) {
        LeapRequest.Builder b = isSearchPath(path) ? LeapRequest.search(service, path) : LeapRequest.post(service, path);
        return execute(b.body(body).pathVariables(pathVariables).build(), type);
    }

    /** A read-only POST search (idempotent, retried like a GET). */
    public JsonNode search(LeapService service, String path, Object body, Object... pathVariables) {
        return execute(LeapRequest.search(service, path).body(body).pathVariables(pathVariables).build());
    }

    /** PUT; idempotent (Leap's PUTs overwrite). */
    public JsonNode put(LeapService service, String path, Object body, Object... pathVariables) {
        return execute(LeapRequest.put(service, path).body(body).pathVariables(pathVariables).build());
    }

    /** DELETE; idempotent. */
    public JsonNode delete(LeapService service, String path, Object... pathVariables) {
        return execute(LeapRequest.delete(service, path).pathVariables(pathVariables).build());
    }

    public <T> T execute(LeapRequest request, Class<T> type) {
        JsonNode node = execute(request);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Leap " + request.operation() + ": response does not map to "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Execute a call with the retry policy. Returns the parsed JSON body; {@link NullNode} for an empty body,
     * {@link TextNode} for a non-JSON 2xx body, and {@code {"status":3xx,"location":...}} for a redirect.
     */
    public JsonNode execute(LeapRequest request) {
        String path = properties.basePath(request.service()) + expandPath(request.path(), request.pathVariables());
        URI uri = URI.create(properties.baseUrl() + path + queryString(request.query()));
        HttpRequest httpRequest = buildHttpRequest(request, uri);
        String operation = request.operation();
        long started = System.nanoTime();
        String outcome = "SUCCESS";
        try {
            return sendWithRetry(request, httpRequest, path);
        } catch (LeapApiException e) {
            outcome = e instanceof LeapOutcomeUnknownException ? "OUTCOME_UNKNOWN" : e.category().name();
            throw e;
        } finally {
            recordTimer(request, operation, outcome, System.nanoTime() - started);
        }
    }

    private JsonNode sendWithRetry(LeapRequest request, HttpRequest httpRequest, String path) {
        int maxAttempts = retryPolicy.maxAttempts();
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            Duration delay;
            try {
                HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (log.isDebugEnabled()) {
                    log.debug("Leap {} {} -> {} in {} ms (attempt {}/{})", httpRequest.method(), httpRequest.uri(),
                            status, millisSince(t0), attempt, maxAttempts);
                }
                if (status >= 200 && status < 300) {
                    return readSuccess(response);
                }
                if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                    closeQuietly(response.body());
                    ObjectNode redirect = mapper.createObjectNode();
                    redirect.put("status", status);
                    redirect.put("location", response.headers().firstValue("Location").get());
                    return redirect;
                }
                String body = readCapped(response.body());
                LeapApiException failure = decoder.toException(status, body, request.service(), request.operation(),
                        request.method(), path, attempt);
                boolean transientStatus = status == 429 || (status >= 500 && status <= 599);
                if (!transientStatus) {
                    throw failure;
                }
                if (!request.idempotent() && status != 429) {
                    // the request reached Leap; it may have created something
                    throw new LeapOutcomeUnknownException(failure);
                }
                if (attempt >= maxAttempts) {
                    throw failure;
                }
                Duration retryAfter = (status == 429 || status == 503)
                        ? retryPolicy.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now())
                        : null;
                delay = retryAfter != null ? retryAfter : retryPolicy.backoff(attempt);
                log.warn("Leap {} ({} {}) answered {}; retry {}/{} in {} ms", request.operation(), request.method(),
                        path, status, attempt, maxAttempts - 1, delay.toMillis());
            } catch (IOException e) {
                boolean notSent = notSent(e);
                LeapApiException failure = new LeapApiException(0, request.service(), request.operation(),
                        request.method(), path, ioError(e, notSent), LeapErrorCategory.IO, attempt, e);
                if (log.isDebugEnabled()) {
                    log.debug("Leap {} {} -> {} after {} ms (attempt {}/{})", httpRequest.method(), httpRequest.uri(),
                            e.getClass().getSimpleName(), millisSince(t0), attempt, maxAttempts);
                }
                if (!request.idempotent() && !notSent) {
                    throw new LeapOutcomeUnknownException(failure);
                }
                if (attempt >= maxAttempts) {
                    throw failure;
                }
                delay = retryPolicy.backoff(attempt);
                log.warn("Leap {} ({} {}) failed: {}; retry {}/{} in {} ms", request.operation(), request.method(),
                        path, describe(e), attempt, maxAttempts - 1, delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(request, path, attempt, e);
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(request, path, attempt, e);
            }
        }
    }

    private LeapApiException interrupted(LeapRequest request, String path, int attempt, InterruptedException e) {
        LeapError error = new LeapError(LeapError.Envelope.NONE, "INTERRUPTED", "Interrupted",
                "interrupted while calling Leap", List.of(), "");
        return new LeapApiException(0, request.service(), request.operation(), request.method(), path, error,
                LeapErrorCategory.IO, attempt, e);
    }

    /** True when the request certainly did not reach Leap (no connection established). */
    static boolean notSent(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static LeapError ioError(IOException e, boolean notSent) {
        String code;
        if (e instanceof HttpConnectTimeoutException) {
            code = "CONNECT_TIMEOUT";
        } else if (e instanceof HttpTimeoutException) {
            code = "READ_TIMEOUT";
        } else if (notSent) {
            code = "CONNECT_FAILED";
        } else {
            code = "IO_ERROR";
        }
        return new LeapError(LeapError.Envelope.NONE, code, code, describe(e), List.of(), "");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private JsonNode readSuccess(HttpResponse<InputStream> response) throws IOException {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readAllBytes();
        }
        if (bytes.length == 0) {
            return NullNode.getInstance();
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // e.g. text/csv when asked for; hand the text back rather than failing
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static String readCapped(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private HttpRequest buildHttpRequest(LeapRequest request, URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(properties.readTimeout())
                .header("Accept", "application/json");
        if (properties.hasApiKey()) {
            b.header("Authorization", "Bearer " + properties.apiKey());
        }
        byte[] body = serialise(request.body());
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            b.header("Content-Type", "application/json");
            publisher = HttpRequest.BodyPublishers.ofByteArray(body);
        }
        return b.method(request.method(), publisher).build();
    }

    private byte[] serialise(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof CharSequence cs) {
            return cs.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot serialise Leap request body of type "
                    + body.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    static String expandPath(String template, List<Object> values) {
        String path = template.startsWith("/") ? template : "/" + template;
        Matcher m = PLACEHOLDER.matcher(path);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (m.find()) {
            if (i >= values.size()) {
                throw new IllegalArgumentException("Missing value for " + m.group() + " in " + template);
            }
            Object v = values.get(i++);
            if (v == null || v.toString().isBlank()) {
                throw new IllegalArgumentException("Blank value for " + m.group() + " in " + template);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(encode(v.toString())));
        }
        m.appendTail(sb);
        if (i != values.size()) {
            throw new IllegalArgumentException(values.size() + " path variables given but " + template
                    + " has " + i + " placeholders");
        }
        return sb.toString();
    }

    static String queryString(Map<String, ?> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : query.entrySet()) {
            for (Object v : flatten(e.getValue())) {
                sb.append(sb.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(v.toString()));
            }
        }
        return sb.toString();
    }

    private static List<Object> flatten(Object value) {
        List<Object> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Collection<?> c) {
            c.stream().filter(Objects::nonNull).forEach(out::add);
        } else if (value instanceof Object[] arr) {
            for (Object o : arr) {
                if (o != null) {
                    out.add(o);
                }
            }
        } else if (value instanceof JsonNode n && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (value instanceof JsonNode n) {
            out.add(n.asText());
        } else {
            out.add(value);
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isSearchPath(String path) {
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.endsWith("/search");
    }

    private static long millisSince(long nanoStart) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoStart);
    }

    private void recordTimer(LeapRequest request, String operation, String outcome, long nanos) {
        if (meterRegistry == null) {
            return;
        }
        try {
            Timer.builder(METRIC_NAME)
                    .description("Leap API calls including retries")
                    .tag("service", request.service().propertyKey())
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(meterRegistry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug("Could not record Leap metric: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ paging

    /**
     * Walk a POST search page by page, handing each page's items to {@code pageConsumer}; memory stays bounded
     * by the page size. The request body's own {@code page_token} (if any) is the starting cursor; its
     * {@code page_size} is left as given. Each page is fetched with the retry policy, resuming from the same
     * cursor, so items are never delivered twice.
     *
     * @param itemsField the response array holding the items ({@code meters}, {@code results} …); null = the
     *                   first array field of the response
     * @return number of pages fetched
     */
    public int forEachPage(LeapService service, String path, Object requestBody, String itemsField,
                           Consumer<List<JsonNode>> pageConsumer) {
        return forEachRawPage(LeapRequest.search(service, path).body(requestBody).build(), itemsField,
                page -> pageConsumer.accept(page.items()));
    }

    /** Like {@link #forEachPage} for GET lists: the cursor travels as the {@code page_token} query parameter. */
    public int forEachPageGet(LeapService service, String path, Map<String, ?> query, String itemsField,
                              Consumer<List<JsonNode>> pageConsumer) {
        return forEachRawPage(LeapRequest.get(service, path).query(query).build(), itemsField,
                page -> pageConsumer.accept(page.items()));
    }

    /** Page walk with access to the whole page response. Request must be a GET or a POST search. */
    public int forEachRawPage(LeapRequest request, String itemsField, Consumer<LeapPage> pageConsumer) {
        PageWalker walker = new PageWalker(request, itemsField);
        int pages = 0;
        LeapPage page;
        while ((page = walker.next()) != null) {
            pages++;
            pageConsumer.accept(page);
        }
        return pages;
    }

    /** Lazy stream over the items of a POST search; pages are fetched as the stream is consumed. */
    public Stream<JsonNode> streamItems(LeapService service, String path, Object requestBody, String itemsField) {
        return stream(iterateItems(service, path, requestBody, itemsField));
    }

    /** Lazy stream over the items of a GET list. */
    public Stream<JsonNode> streamItemsGet(LeapService service, String path, Map<String, ?> query, String itemsField) {
        return stream(new ItemIterator(new PageWalker(LeapRequest.get(service, path).query(query).build(), itemsField)));
    }

    public Iterator<JsonNode> iterateItems(LeapService service, String path, Object requestBody, String itemsField) {
        return new ItemIterator(new PageWalker(LeapRequest.search(service, path).body(requestBody).build(), itemsField));
    }

    private static Stream<JsonNode> stream(Iterator<JsonNode> it) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** Cursor of a page response: {@code next_page_token}, or {@code page_token} when that field is absent. */
    static String cursorOf(JsonNode response) {
        if (response == null || !response.isObject()) {
            return null;
        }
        JsonNode token = response.has("next_page_token") ? response.get("next_page_token") : response.get("page_token");
        if (token == null || token.isNull() || !token.isValueNode()) {
            return null;
        }
        String s = token.asText();
        return s.isBlank() ? null : s;
    }

    private final class PageWalker {
        private final LeapRequest template;
        private final String itemsField;
        private final boolean queryCursor;
        private final ObjectNode baseBody;
        private final Set<String> seen = new HashSet<>();
        private final int maxPages = properties.paging().maxPages();
        private String cursor;
        private int fetched;
        private boolean done;

        PageWalker(LeapRequest request, String itemsField) {
            if (!"GET".equals(request.method()) && !"POST".equals(request.method())) {
                throw new IllegalArgumentException("Paging needs a GET list or a POST search, not " + request.method());
            }
            this.queryCursor = "GET".equals(request.method());
            this.itemsField = itemsField == null || itemsField.isBlank() ? null : itemsField;
            if (queryCursor) {
                Object start = request.query().get("page_token");
                this.cursor = start == null || start.toString().isBlank() ? null : start.toString();
                this.baseBody = null;
            } else {
                this.baseBody = toObjectNode(request.body());
                JsonNode start = baseBody.get("page_token");
                this.cursor = start == null || start.isNull() || start.asText().isBlank() ? null : start.asText();
                baseBody.remove("page_token");
            }
            // paging calls only read, so they are retried like GETs
            this.template = new LeapRequest(request.service(), request.method(), request.path(),
                    request.pathVariables(), request.query(), null, true, request.operation());
            if (cursor != null) {
                seen.add(cursor);
            }
        }

        LeapPage next() {
            if (done) {
                return null;
            }
            if (fetched >= maxPages) {
                done = true;
                throw new LeapPagingException("Leap " + template.operation() + " still had more pages after "
                        + fetched + " pages (hub.leap.paging.max-pages=" + maxPages + "); aborting", fetched);
            }
            LeapRequest pageRequest;
            if (queryCursor) {
                Map<String, Object> q = new java.util.LinkedHashMap<>(template.query());
                q.remove("page_token");
                if (cursor != null) {
                    q.put("page_token", cursor);
                }
                pageRequest = template.withQuery(q);
            } else {
                ObjectNode body = baseBody.deepCopy();
                if (cursor != null) {
                    body.put("page_token", cursor);
                }
                pageRequest = template.withBody(body);
            }
            JsonNode response = execute(pageRequest);
            fetched++;
            List<JsonNode> items = itemsOf(response);
            String next = cursorOf(response);
            if (next == null) {
                done = true;
            } else if (!seen.add(next)) {
                done = true;
                throw new LeapPagingException("Leap " + template.operation() + " returned page cursor '" + next
                        + "' again on page " + fetched + "; aborting the walk to avoid an infinite loop"
                        + " (items of pages 1-" + (fetched - 1) + " were delivered)", fetched);
            }
            cursor = next;
            return new LeapPage(fetched, items, next, response);
        }

        private List<JsonNode> itemsOf(JsonNode response) {
            JsonNode array = null;
            if (response != null && response.isArray()) {
                array = response;
            } else if (response != null && response.isObject()) {
                if (itemsField != null) {
                    array = response.get(itemsField);
                } else {
                    for (Iterator<JsonNode> it = response.elements(); it.hasNext(); ) {
                        JsonNode n = it.next();
                        if (n.isArray()) {
                            array = n;
                            break;
                        }
                    }
                }
            }
            if (array == null || !array.isArray()) {
                return List.of();
            }
            List<JsonNode> items = new ArrayList<>(array.size());
            array.forEach(items::add);
            return items;
        }
    }

    private static final class ItemIterator implements Iterator<JsonNode> {
        private final PageWalker walker;
        private Iterator<JsonNode> current = java.util.Collections.emptyIterator();
        private boolean exhausted;

        ItemIterator(PageWalker walker) {
            this.walker = walker;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (exhausted) {
                    return false;
                }
                LeapPage page = walker.next();
                if (page == null) {
                    exhausted = true;
                    return false;
                }
                current = page.items().iterator();
            }
            return true;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    /** Converts a request body (JsonNode, Map, POJO, JSON String/bytes, null) to a mutable ObjectNode. */
    public ObjectNode toObjectNode(Object body) {
        if (body == null) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node;
            if (body instanceof JsonNode n) {
                node = n.deepCopy();
            } else if (body instanceof CharSequence cs) {
                node = cs.toString().isBlank() ? mapper.createObjectNode() : mapper.readTree(cs.toString());
            } else if (body instanceof byte[] bytes) {
                node = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
            } else {
                node = mapper.valueToTree(body);
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                return mapper.createObjectNode();
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("Expected a JSON object as Leap request body, got " + node.getNodeType());
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalArgumentException("Leap request body is not valid JSON: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ typed helpers (bean-friendly)

    // Meter details (v2)

    /** One page of {@code searchMeterDetails}; the response carries {@code meters} and {@code next_page_token}. */
    public JsonNode searchMeterDetails(Object filter) {
        return execute(LeapRequest.search(LeapService.METER_DETAILS, "/meters/search").body(bodyOrEmpty(filter))
                .operation("searchMeterDetails").build());
    }

    public int forEachMeterDetailsPage(Object filter, Consumer<List<JsonNode>> pageConsumer) {
        return forEachRawPage(LeapRequest.search(LeapService.METER_DETAILS, "/meters/search").body(filter)
                .operation("searchMeterDetails").build(), "meters", p -> pageConsumer.accept(p.items()));
    }

    public Stream<JsonNode> streamMeterDetails(Object filter) {
        return stream(new ItemIterator(new PageWalker(LeapRequest.search(LeapService.METER_DETAILS, "/meters/search")
                .body(filter).operation("searchMeterDetails").build(), "meters")));
    }

    public JsonNode getMeterDetails(String meterId) {
        return execute(LeapRequest.get(LeapService.METER_DETAILS, "/meters/{meter_id}").pathVariables(meterId)
                .operation("getMeterDetails").build());
    }

    // Meter enrollment (v2 reads)

    /** One page of {@code searchMeterEnrollments} ({@code meters}, {@code next_page_token}). */
    public JsonNode searchMeterEnrollments(Object filter) {
        return execute(LeapRequest.search(LeapService.METER_ENROLLMENT, "/meters/enrollments/search")
                .body(bodyOrEmpty(filter)).operation("searchMeterEnrollments").build());
    }

    public int forEachMeterEnrollmentsPage(Object filter, Consumer<List<JsonNode>> pageConsumer) {
        return forEachRawPage(LeapRequest.search(LeapService.METER_ENROLLMENT, "/meters/enrollments/search")
                .body(filter).operation("searchMeterEnrollments").build(), "meters", p -> pageConsumer.accept(p.items()));
    }

    public Stream<JsonNode> streamMeterEnrollments(Object filter) {
        return stream(new ItemIterator(new PageWalker(LeapRequest.search(LeapService.METER_ENROLLMENT,
                "/meters/enrollments/search").body(filter).operation("searchMeterEnrollments").build(), "meters")));
    }

    public JsonNode getMeterEnrollment(String meterId) {
        return execute(LeapRequest.get(LeapService.METER_ENROLLMENT, "/meters/{meter_id}/enrollments")
                .pathVariables(meterId).operation("getMeterEnrollment").build());
    }

    // Create meters (v1.1)

    /**
     * {@code createMeterBatchJob}: NOT idempotent. On {@link LeapOutcomeUnknownException} list the jobs
     * ({@link #listMeterBatchJobs}) before submitting again. Returns {@code {"job_id": ...}}.
     */
    public JsonNode createMeterBatchJob(Object request) {
        return createMeterBatchJob(request, false, null);
    }

    public JsonNode createMeterBatchJob(Object request, boolean updateExisting, String fileName) {
        LeapRequest.Builder b = LeapRequest.post(LeapService.CREATE_METERS, "/jobs/meters").body(bodyOrEmpty(request))
                .operation("createMeterBatchJob");
        if (updateExisting) {
            b.query("update_existing", true);
        }
        if (fileName != null && !fileName.isBlank()) {
            b.query("file_name", fileName);
        }
        return execute(b.build());
    }

    public JsonNode getMeterBatchJob(String jobId) {
        return execute(LeapRequest.get(LeapService.CREATE_METERS, "/jobs/meters/{job_id}").pathVariables(jobId)
                .operation("getMeterBatchJob").build());
    }

    /** {@link #getMeterBatchJob} mapped to a record (unknown statuses become {@code UNKNOWN}). */
    public MeterBatchJob getMeterBatchJobRecord(String jobId) {
        return execute(LeapRequest.get(LeapService.CREATE_METERS, "/jobs/meters/{job_id}").pathVariables(jobId)
                .operation("getMeterBatchJob").build(), MeterBatchJob.class);
    }

    /**
     * One page of {@code listMeterBatchJobs} ({@code jobs}, {@code next_page_token}). Query keys as in the spec:
     * {@code filter} (collection → repeated), {@code page_token}, {@code page_size}, {@code search_query},
     * {@code search_fields}.
     */
    public JsonNode listMeterBatchJobs(Map<String, ?> query) {
        return execute(LeapRequest.get(LeapService.CREATE_METERS, "/jobs/meters").query(query)
                .operation("listMeterBatchJobs").build());
    }

    public JsonNode listMeterBatchJobs() {
        return listMeterBatchJobs(Map.of());
    }

    /**
     * The jobs Leap lists under exactly this {@code file_name} (the value sent with {@link #createMeterBatchJob}):
     * how a caller finds out whether a POST whose answer was lost created its job. Pages through
     * {@code filter=file_name:<name>} and keeps exact matches only, in case Leap's filter matches more loosely.
     */
    public List<MeterBatchJob> findMeterBatchJobsByFileName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("file_name missing");
        }
        List<MeterBatchJob> found = new ArrayList<>();
        forEachRawPage(LeapRequest.get(LeapService.CREATE_METERS, "/jobs/meters")
                .query(Map.of("filter", "file_name:" + fileName, "page_size", 100))
                .operation("listMeterBatchJobs").build(), "jobs", page -> page.items().forEach(job -> {
                    if (fileName.equals(job.path("file_name").asText(null))) {
                        try {
                            found.add(mapper.treeToValue(job, MeterBatchJob.class));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalStateException("Leap listMeterBatchJobs: a job does not map: " + e.getOriginalMessage(), e);
                        }
                    }
                }));
        return found;
    }

    // Dispatch (v2)

    /** One page of {@code searchMeterDispatches} ({@code results}, {@code next_page_token}). */
    public JsonNode searchMeterDispatches(Object filter) {
        return execute(LeapRequest.search(LeapService.DISPATCH, "/dispatch/meter/search").body(bodyOrEmpty(filter))
                .operation("searchMeterDispatches").build());
    }

    public Stream<JsonNode> streamMeterDispatches(Object filter) {
        return stream(new ItemIterator(new PageWalker(LeapRequest.search(LeapService.DISPATCH, "/dispatch/meter/search")
                .body(filter).operation("searchMeterDispatches").build(), "results")));
    }

    /** One page of {@code searchGroupDispatches} ({@code results}, {@code next_page_token}). */
    public JsonNode searchGroupDispatches(Object filter) {
        return execute(LeapRequest.search(LeapService.DISPATCH, "/dispatch/group/search").body(bodyOrEmpty(filter))
                .operation("searchGroupDispatches").build());
    }

    public Stream<JsonNode> streamGroupDispatches(Object filter) {
        return stream(new ItemIterator(new PageWalker(LeapRequest.search(LeapService.DISPATCH, "/dispatch/group/search")
                .body(filter).operation("searchGroupDispatches").build(), "results")));
    }

    public JsonNode getMeterDispatchWebhook() {
        return execute(LeapRequest.get(LeapService.DISPATCH, "/dispatch/meter/webhook")
                .operation("getMeterDispatchWebhook").build());
    }

    /** {@code createOrUpdateMeterDispatchWebhook} (PUT, overwrites: idempotent). */
    public JsonNode putMeterDispatchWebhook(Object webhook) {
        return execute(LeapRequest.put(LeapService.DISPATCH, "/dispatch/meter/webhook").body(bodyOrEmpty(webhook))
                .operation("createOrUpdateMeterDispatchWebhook").build());
    }

    public JsonNode deleteMeterDispatchWebhook() {
        return execute(LeapRequest.delete(LeapService.DISPATCH, "/dispatch/meter/webhook")
                .operation("deleteMeterDispatchWebhook").build());
    }

    public JsonNode getGroupDispatchWebhook() {
        return execute(LeapRequest.get(LeapService.DISPATCH, "/dispatch/group/webhook")
                .operation("getGroupDispatchWebhook").build());
    }

    /** {@code createOrUpdateGroupDispatchWebhook} (PUT, overwrites: idempotent). */
    public JsonNode putGroupDispatchWebhook(Object webhook) {
        return execute(LeapRequest.put(LeapService.DISPATCH, "/dispatch/group/webhook").body(bodyOrEmpty(webhook))
                .operation("createOrUpdateGroupDispatchWebhook").build());
    }

    public JsonNode deleteGroupDispatchWebhook() {
        return execute(LeapRequest.delete(LeapService.DISPATCH, "/dispatch/group/webhook")
                .operation("deleteGroupDispatchWebhook").build());
    }

    // Webhook subscriptions (v1.1)

    /** {@code listWebhooks} (unpaginated): {@code {"webhooks":[...]}}. */
    public JsonNode listWebhooks() {
        return execute(LeapRequest.get(LeapService.WEBHOOKS, "/webhooks").operation("listWebhooks").build());
    }

    /** {@code createWebhook}: NOT idempotent; on {@link LeapOutcomeUnknownException} call {@link #listWebhooks} first. */
    public JsonNode createWebhook(Object webhook) {
        return execute(LeapRequest.post(LeapService.WEBHOOKS, "/webhooks").body(bodyOrEmpty(webhook))
                .operation("createWebhook").build());
    }

    /** {@code updateWebhook} (PUT, overwrites all settings: idempotent). */
    public JsonNode updateWebhook(String webhookId, Object webhook) {
        return execute(LeapRequest.put(LeapService.WEBHOOKS, "/webhooks/{webhook_id}").pathVariables(webhookId)
                .body(bodyOrEmpty(webhook)).operation("updateWebhook").build());
    }

    public JsonNode deleteWebhook(String webhookId) {
        return execute(LeapRequest.delete(LeapService.WEBHOOKS, "/webhooks/{webhook_id}").pathVariables(webhookId)
                .operation("deleteWebhook").build());
    }

    /** {@code testWebhook}: sends a test event to the receiver; NOT idempotent (each call delivers an event). */
    public JsonNode testWebhook(String webhookId, Object testEvent) {
        return execute(LeapRequest.post(LeapService.WEBHOOKS, "/webhooks/{webhook_id}/test").pathVariables(webhookId)
                .body(bodyOrEmpty(testEvent)).operation("testWebhook").build());
    }

    private Object bodyOrEmpty(Object body) {
        return body == null ? mapper.createObjectNode() : body;
    }
}
