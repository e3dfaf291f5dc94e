package io.leapvpp.hub.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A partner's webhook receiver on a JDK HttpServer; {@code statusForCall} decides the answer of the n-th call (1-based). */
final class TestReceiver implements AutoCloseable {

    record Received(Map<String, List<String>> headers, String body, long atNanos) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;
    volatile IntUnaryOperator statusForCall = n -> 200;
    /** Milliseconds to wait before answering the n-th call (1-based). */
    volatile java.util.function.IntToLongFunction delayForCall = n -> 0;

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/leap";
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = calls.incrementAndGet();
        byte[] body = ex.getRequestBody().readAllBytes();
        // JDK HttpServer normalises names to First-Letter-Upper; keep what arrived on the wire in lower case for checks
        received.add(new Received(Map.copyOf(ex.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), System.nanoTime()));
        long delay = delayForCall.applyAsLong(n);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(statusForCall.applyAsInt(n), answer.length);
            ex.getResponseBody().write(answer);
        } catch (IOException ignored) {
            // the sandbox gave up waiting (timeout test)
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
