package io.leapvpp.hub.sandbox.web;

import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.state.Faults;
import io.leapvpp.hub.sandbox.state.FieldProblem;
import io.leapvpp.hub.sandbox.state.RecordedRequest;
import io.leapvpp.hub.sandbox.state.RequestLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Front door of the Leap API: checks the bearer key (401 unknown, 403 wrong-environment key), records every API
 * request with the answer for {@code /sandbox/requests}, and turns anything unexpected into the service's envelope.
 * The control API under {@code /sandbox} needs no key and is not recorded.
 */
public final class LeapRequestFilter extends OncePerRequestFilter {

    private static final int MAX_RECORDED_BODY = 1_048_576;

    private final SandboxSettings settings;
    private final RequestLog log;
    private final Faults faults;

    public LeapRequestFilter(SandboxSettings settings, RequestLog log) {
        this(settings, log, new Faults());
    }

    public LeapRequestFilter(SandboxSettings settings, RequestLog log, Faults faults) {
        this.settings = settings;
        this.log = log;
        this.faults = faults;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        LeapService service = LeapService.of(path);
        if (service == LeapService.CONTROL) {
            guarded(request, response, chain, service);
            return;
        }
        long start = System.nanoTime();
        byte[] body = request.getInputStream().readAllBytes();
        CachedBodyRequest cached = new CachedBodyRequest(request, body);
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        Faults.Fault fault = null;
        try {
            Integer authFailure = authFailure(request.getHeader("Authorization"));
            if (authFailure != null) {
                String message = authFailure == 401 ? "Unauthorized" : "You do not have the necessary permissions for this operation";
                ErrorWriter.write(recorded, authFailure, ErrorEnvelopes.render(service, authFailure, message, List.<FieldProblem>of(), null));
            } else if ((fault = faults.match(request.getMethod(), path)) != null && fault.when() == Faults.When.BEFORE) {
                // an injected outage (control API /sandbox/faults): answered like Leap's unexpected failures
                injected(recorded, service, fault.status());
            } else if (body.length > 0 && !isJson(request.getContentType())) {
                // Leap's JSON APIs reject other media types; a form-encoded body would otherwise be silently dropped
                ErrorWriter.write(recorded, 415, ErrorEnvelopes.render(service, 415,
                        "Unsupported Media Type: send Content-Type application/json", List.<FieldProblem>of(), null));
            } else {
                guarded(cached, recorded, chain, service);
                if (fault != null && fault.status() != null) {
                    // served (the job exists), but the caller learns only that something went wrong
                    injected(recorded, service, fault.status());
                }
            }
        } finally {
            byte[] answer = recorded.getContentAsByteArray();
            log.add(new RecordedRequest(log.nextSequence(), Instant.now(), request.getMethod(), path, request.getQueryString(),
                    headers(request), text(body), body.length > MAX_RECORDED_BODY, recorded.getStatus(),
                    recorded.getContentType(), text(answer), answer.length > MAX_RECORDED_BODY,
                    (System.nanoTime() - start) / 1_000_000));
            if (fault != null && fault.delay() != null) {
                sleep(fault.delay());
            }
            try {
                recorded.copyBodyToResponse();
            } catch (IOException e) {
                if (fault == null || fault.delay() == null) throw e;
                // the client gave up waiting, as the delay meant it to
            }
        }
    }

    /**
     * An injected failure, answered like Leap's unexpected ones: create-meters declares its 500 as a plain string
     * (the spec's example); other statuses and services use the service's envelope.
     */
    private static void injected(HttpServletResponse response, LeapService service, int status) throws IOException {
        String message = "An error happened whilst processing your request";
        if (status == 500 && (service == LeapService.METER_JOBS || service == LeapService.SINGLE_METER)) {
            ErrorWriter.writeText(response, status, message);
        } else {
            ErrorWriter.write(response, status, ErrorEnvelopes.render(service, status, message, List.<FieldProblem>of(), null));
        }
    }

    private static void sleep(java.time.Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void guarded(HttpServletRequest request, HttpServletResponse response, FilterChain chain, LeapService service)
            throws IOException {
        try {
            chain.doFilter(request, response);
        } catch (Exception e) {
            // never leak a stack trace: Leap answers unexpected failures with its envelope
            ErrorWriter.write(response, 500, ErrorEnvelopes.render(service, 500,
                    "An error happened whilst processing your request", List.of(), null));
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private Integer authFailure(String authorization) {
        String expected = "Bearer " + settings.apiKey();
        if (expected.equals(authorization)) return null;
        if (settings.wrongEnvironmentKey() != null && ("Bearer " + settings.wrongEnvironmentKey()).equals(authorization)) return 403;
        return 401;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = Collections.list(request.getHeaders(name));
            if (lower.equals("authorization")) {
                values = values.stream().map(v -> v.startsWith("Bearer ") ? "Bearer ***" : "***").toList();
            }
            out.put(lower, values);
        }
        return out;
    }

    private static String text(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_RECORDED_BODY);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Lets the body be read once by us (for the record) and once by Spring. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
