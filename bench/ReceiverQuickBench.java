// Quick receiver load check used while building the intake (the formal benchmark lives elsewhere in bench/).
// Run: java bench/ReceiverQuickBench.java http://127.0.0.1:8080/leap/webhooks/dispatch/meter <threads> <warmup-s> <measure-s> [rate/s]
// against a demo hub (secret demo-webhook-key). Prints ok / 5xx / other, req/s, p50/p99/max.
import java.net.URI;
import java.net.http.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.LockSupport;

public class ReceiverQuickBench {
    public static void main(String[] a) throws Exception {
        String url = a[0]; int threads = Integer.parseInt(a[1]); int warm = Integer.parseInt(a[2]); int secs = Integer.parseInt(a[3]);
        double rate = a.length > 4 ? Double.parseDouble(a[4]) : 0; // 0 = as fast as possible
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4)).build();
        long warmEnd = System.nanoTime() + warm * 1_000_000_000L, end = warmEnd + secs * 1_000_000_000L;
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong(), s5 = new AtomicLong(), other = new AtomicLong();
        AtomicLong next = new AtomicLong(System.nanoTime());
        String start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String stop = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (true) {
                    long now = System.nanoTime();
                    if (now > end) break;
                    if (rate > 0) {
                        long slot = next.getAndAdd((long) (1e9 / rate));
                        long wait = slot - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                        if (System.nanoTime() > end) break;
                    }
                    String body = "{\"integration_test_notification\":false,\"communication_test\":false,\"meter_dispatches\":[{\"meter_id\":\"" + UUID.randomUUID()
                        + "\",\"partner_reference\":\"site-b" + ThreadLocalRandom.current().nextInt(100000) + "\",\"timeslots\":[{\"meter_event_id\":\"" + UUID.randomUUID()
                        + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + stop + "\",\"cancelled\":false,\"energy_kw\":8.5,\"nomination_kw\":11.0,\"priority\":2,\"is_voluntary\":false,\"performance_compensation_cap\":\"up-to-site-load\",\"dispatch_event_types\":[\"day-ahead\"],\"programs\":[\"CCA\"]}]}]}";
                    HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json").header("x-api-key", "demo-webhook-key")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        int st = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                        long t1 = System.nanoTime();
                        if (t0 > warmEnd) {
                            lat.add(t1 - t0);
                            if (st == 200) ok.incrementAndGet(); else if (st >= 500) s5.incrementAndGet(); else other.incrementAndGet();
                        }
                    } catch (Exception e) { if (t0 > warmEnd) other.incrementAndGet(); }
                }
            });
            th.start(); ts.add(th);
        }
        for (Thread th : ts) th.join();
        long[] l = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("threads=%d rate=%s measured=%ds: ok=%d 5xx=%d other=%d  => %.0f req/s  p50=%.1fms p99=%.1fms max=%.1fms%n",
            threads, rate == 0 ? "max" : String.valueOf(rate), secs, ok.get(), s5.get(), other.get(), ok.get() / (double) secs,
            l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6);
        System.exit(0);
    }
}
