package io.leapvpp.hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook load for bench/dispatch-bench.sh: POSTs single-timeslot meter dispatch notifications to a
 * running hub's /leap/webhooks/dispatch/meter with the webhook secret header, from N concurrent
 * senders, and prints ack latency p50/p99, notifications/s and the count of non-2xx answers.
 * Args: hubUrl secret total concurrency [headerName]
 */
public final class WebhookBench {

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String secret = args[1];
        int total = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        String header = args.length > 4 ? args[4] : "x-api-key";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Instant start = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    String body = "{\"meter_dispatches\":[{\"meter_id\":\"" + UUID.randomUUID() + "\",\"partner_reference\":\"bench-gw-" + (i % 100)
                            + "\",\"timeslots\":[{\"meter_event_id\":\"" + UUID.randomUUID() + "\",\"start_time\":\"" + start
                            + "\",\"end_time\":\"" + start.plus(1, ChronoUnit.HOURS) + "\",\"energy_kw\":10,\"cancelled\":false}]}]}";
                    HttpRequest req = HttpRequest.newBuilder(URI.create(hub + "/leap/webhooks/dispatch/meter"))
                            .header("Content-Type", "application/json").header(header, secret)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(15)).build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                        latencies.add(System.nanoTime() - s);
                        if (r.statusCode() / 100 != 2) {
                            non2xx.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("BENCH webhook: %d notifications, %d senders: %.0f notifications/s; ack p50 %.1f ms, p99 %.1f ms; non-2xx %d, errors %d%n",
                total, concurrency, total / seconds, DeviceBench.pct(l, 50) / 1e6, DeviceBench.pct(l, 99) / 1e6, non2xx.get(), errors.get());
    }
}
