package io.leapvpp.hub.sandbox.push;

import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.state.Header;
import io.leapvpp.hub.sandbox.state.PushTarget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes JSON the way Leap does: POST, the registered headers with lower-cased names, success only for a 2xx within
 * the (scaled) 10 s deadline, retried on Leap's (scaled) ladder. Every attempt lands in the {@link DeliveryLog}.
 */
public final class WebhookPusher {

    private static final int MAX_RECORDED_RESPONSE = 4096;
    /** Headers java.net.http refuses to set; a partner could register them, Leap would just not send them twice. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final SandboxSettings settings;
    private final ScheduledExecutorService scheduler;
    private final DeliveryLog log;
    private final HttpClient client;
    private volatile boolean stopped;

    public WebhookPusher(SandboxSettings settings, ScheduledExecutorService scheduler, DeliveryLog log) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.log = log;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.pushTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public void stop() {
        stopped = true;
    }

    /** Starts delivering in the background; returns the delivery id to find its attempts in the log. */
    public String deliver(String kind, PushTarget target, String body, RetryPolicy policy) {
        String deliveryId = UUID.randomUUID().toString();
        schedule(deliveryId, kind, target, body, policy, 1);
        return deliveryId;
    }

    /** One attempt, waited for; used by the test endpoints that answer with the receiver's reaction. */
    public DeliveryAttempt sendOnce(String kind, PushTarget target, String body) {
        return send(UUID.randomUUID().toString(), kind, target, body, 1, 1).join();
    }

    private void schedule(String deliveryId, String kind, PushTarget target, String body, RetryPolicy policy, int attempt) {
        if (stopped) return;
        Duration delay = settings.scaled(policy.delaysBeforeAttempt().get(attempt - 1));
        Runnable run = () -> send(deliveryId, kind, target, body, attempt, policy.maxAttempts())
                .thenAccept(result -> {
                    if (!result.success() && attempt < policy.maxAttempts()) {
                        schedule(deliveryId, kind, target, body, policy, attempt + 1);
                    }
                });
        try {
            scheduler.schedule(run, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // sandbox is stopping; pending retries are dropped like Leap drops them after the last attempt
        }
    }

    private CompletableFuture<DeliveryAttempt> send(String deliveryId, String kind, PushTarget target, String body,
                                                    int attempt, int maxAttempts) {
        Map<String, String> sentHeaders = new LinkedHashMap<>();
        sentHeaders.put("content-type", "application/json");
        for (Header h : target.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!RESTRICTED.contains(name)) sentHeaders.put(name, h.value());
        }
        Duration timeout = settings.pushTimeout();
        Instant sentAt = Instant.now();
        long start = System.nanoTime();
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.url()))
                    .timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            sentHeaders.forEach(b::header);
            request = b.build();
        } catch (RuntimeException e) {
            DeliveryAttempt a = new DeliveryAttempt(deliveryId, kind, target.url(), sentHeaders, body, attempt, maxAttempts,
                    sentAt, null, null, Map.of(), null, 0, false, "invalid request: " + e.getMessage());
            log.add(a);
            return CompletableFuture.completedFuture(a);
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    long latencyMs = (System.nanoTime() - start) / 1_000_000;
                    DeliveryAttempt a;
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        String error = cause instanceof HttpTimeoutException
                                ? "no response within " + timeout.toMillis() + " ms"
                                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                        a = new DeliveryAttempt(deliveryId, kind, target.url(), sentHeaders, body, attempt, maxAttempts,
                                sentAt, null, null, Map.of(), null, latencyMs, false, error);
                    } else {
                        int status = response.statusCode();
                        boolean inTime = latencyMs <= timeout.toMillis();
                        boolean ok = status >= 200 && status < 300 && inTime;
                        String error = ok ? null : !inTime ? "answered after " + latencyMs + " ms, deadline " + timeout.toMillis() + " ms"
                                : "receiver answered HTTP " + status;
                        a = new DeliveryAttempt(deliveryId, kind, target.url(), sentHeaders, body, attempt, maxAttempts,
                                sentAt, Instant.now(), status, lowerCased(response.headers().map()),
                                truncate(response.body()), latencyMs, ok, error);
                    }
                    log.add(a);
                    return a;
                });
    }

    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (!k.startsWith(":")) out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v));
        });
        return out;
    }

    private static String truncate(String s) {
        if (s == null || s.length() <= MAX_RECORDED_RESPONSE) return s;
        return s.substring(0, MAX_RECORDED_RESPONSE) + "...[truncated]";
    }
}
