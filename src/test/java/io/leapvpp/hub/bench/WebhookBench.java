package io.leapvpp.hub.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook load for bench/dispatch-bench.sh: POSTs complete single-timeslot meter dispatch
 * notifications to a running hub's /leap/webhooks/dispatch/meter with the webhook secret header,
 * from N concurrent senders, either as fast as the hub answers (rate 0) or paced at a fixed rate,
 * and prints ack latency p50/p99, notifications/s and the count of non-2xx answers. With a broker
 * URL it also subscribes to vpp/+/commands and prints webhook-to-device latency p50/p99 (from the
 * moment the POST is sent until the command arrives at the subscriber).
 *
 * <p>CLIENT=socket sends over one plain HTTP/1.1 keep-alive socket per sender instead of the JDK's HttpClient, whose
 * selector and executor threads add about 2.5 ms per request at low load on this machine: the figure then shows the
 * hub's latency rather than the client's.
 * Args: hubUrl secret total concurrency [ratePerSecond] [brokerUrl]
 */
public final class WebhookBench {

    /**
     * Gateways the notifications are spread over (env GATEWAYS, default 10,000: a fleet where a site gets a few events
     * a day; with 100, every gateway's retained plan lists hundreds of future events and is recomputed constantly).
     */
    private static final int GATEWAYS = Integer.parseInt(System.getenv().getOrDefault("GATEWAYS", "10000"));

    private static final boolean SOCKET_CLIENT = "socket".equalsIgnoreCase(System.getenv().getOrDefault("CLIENT", "jdk"));

    private static final Pattern EVENT_ID = Pattern.compile("\"meter_event_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String secret = args[1];
        int total = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        double rate = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        String broker = args.length > 5 ? args[5] : null;

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "0"));
        if (warmup > 0) {
            // the hub's JIT compiles its hot paths in the first thousands of requests; a production hub is warm
            Run w = fire(http, hub, secret, warmup, concurrency, 0, new ConcurrentHashMap<>());
            System.out.printf("BENCH warm-up: %d notifications unpaced (%.0f/s), not counted%n", warmup, warmup / w.seconds);
            Thread.sleep(2000);
        }
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> endToEnd = new ConcurrentLinkedQueue<>();
        MqttClient device = broker == null ? null : subscribe(broker, sentAt, endToEnd);
        Run run = fire(http, hub, secret, total, concurrency, rate, sentAt);
        AtomicInteger non2xx = run.non2xx;
        AtomicInteger errors = run.errors;
        double seconds = run.seconds;
        long[] l = java.util.Arrays.stream(run.took).filter(t -> t > 0).sorted().toArray(); // answered requests only
        System.out.printf("BENCH webhook: %d notifications, %d senders, %s: %.0f notifications/s; ack p50 %.1f ms, p99 %.1f ms; non-2xx %d, errors %d%n",
                total, concurrency, rate > 0 ? "paced at " + (int) rate + "/s" : "unpaced", total / seconds,
                DeviceBench.pct(l, 50) / 1e6, DeviceBench.pct(l, 99) / 1e6, non2xx.get(), errors.get());
        printSlowSeconds(run, 50);
        if (device != null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (endToEnd.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long[] e = endToEnd.stream().mapToLong(Long::longValue).sorted().toArray();
            if (e.length == 0) {
                System.out.println("BENCH webhook->device: no command arrived");
            } else {
                System.out.printf("BENCH webhook->device: %d of %d commands arrived (first arrival); p50 %.1f ms, p99 %.1f ms%n",
                        e.length, total, DeviceBench.pct(e, 50) / 1e6, DeviceBench.pct(e, 99) / 1e6);
            }
            device.disconnect();
            device.close();
        }
    }

    /** startedAt[i] (ns from the run's start) and took[i] (ns; 0 when it got no answer) of notification i. */
    private record Run(AtomicInteger non2xx, AtomicInteger errors, double seconds, long[] startedAt, long[] took, Instant began) {
    }

    /**
     * Whether the slow acknowledgements cluster (a pause, a vacuum, a checkpoint) or are spread over the run: the
     * number over {@code slowMs} and the five seconds of the run with the most of them.
     */
    private static void printSlowSeconds(Run run, long slowMs) {
        Map<Long, long[]> perSecond = new java.util.TreeMap<>(); // second -> {count over, worst ns}
        int slow = 0;
        for (int i = 0; i < run.took.length; i++) {
            if (run.took[i] > slowMs * 1_000_000) {
                slow++;
                long[] b = perSecond.computeIfAbsent(run.startedAt[i] / 1_000_000_000L, k -> new long[2]);
                b[0]++;
                b[1] = Math.max(b[1], run.took[i]);
            }
        }
        StringBuilder worst = new StringBuilder();
        perSecond.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(5)
                .forEach(e -> worst.append(String.format(" %ds: %d (max %.0f ms);", e.getKey(), e.getValue()[0], e.getValue()[1] / 1e6)));
        System.out.printf("BENCH acks over %d ms: %d, in %d of %.0f seconds;%s%n", slowMs, slow, perSecond.size(), run.seconds, worst);
        if (System.getenv("SLOW_TIMELINE") != null) {
            // every such second on the wall clock (UTC), to lay beside the hub's GC log and PostgreSQL's log
            perSecond.forEach((second, b) -> System.out.printf("BENCH slow second %s: %d over %d ms (max %.0f ms)%n",
                    run.began.plusSeconds(second), b[0], slowMs, b[1] / 1e6));
        }
    }

    /** Sends {@code total} single-timeslot notifications from {@code concurrency} senders (paced when rate > 0). */
    private static Run fire(HttpClient http, String hub, String secret, int total, int concurrency, double rate,
                            Map<String, Long> sentAt) throws InterruptedException {
        long[] startedAt = new long[total];
        long[] took = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Instant start = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        String runId = UUID.randomUUID().toString().substring(0, 6);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Instant began = Instant.now();
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            pool.submit(() -> {
                SocketSender socket = SOCKET_CLIENT ? new SocketSender(URI.create(hub)) : null;
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    if (rate > 0) {
                        long due = t0 + (long) (i * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    String eventId = UUID.randomUUID().toString();
                    String body = "{\"integration_test_notification\":false,\"communication_test\":false,\"meter_dispatches\":[{\"meter_id\":\""
                            + UUID.randomUUID() + "\",\"partner_reference\":\"bench-" + runId + "-" + (i % GATEWAYS)
                            + "\",\"timeslots\":[{\"meter_event_id\":\"" + eventId + "\",\"start_time\":\"" + start
                            + "\",\"end_time\":\"" + start.plus(1, ChronoUnit.HOURS) + "\",\"cancelled\":false,\"energy_kw\":10,"
                            + "\"nomination_kw\":12,\"priority\":2,\"is_voluntary\":false,\"performance_compensation_cap\":\"up-to-site-load\","
                            + "\"dispatch_event_types\":[\"day-ahead\"],\"programs\":[\"CCA\"]}]}]}";
                    HttpRequest req = HttpRequest.newBuilder(URI.create(hub + "/leap/webhooks/dispatch/meter"))
                            .header("Content-Type", "application/json").header("x-api-key", secret)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(15)).build();
                    long s = System.nanoTime();
                    sentAt.put(eventId, s);
                    try {
                        int status = socket != null ? socket.post("/leap/webhooks/dispatch/meter", secret, body)
                                : http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        took[i] = System.nanoTime() - s;
                        startedAt[i] = s - t0;
                        if (status / 100 != 2) {
                            non2xx.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        if (socket != null) {
                            socket.close();
                        }
                    }
                }
                if (socket != null) {
                    socket.close();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        return new Run(non2xx, errors, (System.nanoTime() - t0) / 1e9, startedAt, took, began);
    }

    private static MqttClient subscribe(String broker, Map<String, Long> sentAt, ConcurrentLinkedQueue<Long> endToEnd) throws MqttException {
        MqttClient client = new MqttClient(broker, "bench-device-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                Matcher m = EVENT_ID.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
                if (m.find()) {
                    Long s = sentAt.remove(m.group(1)); // first arrival only: re-sends of unacked commands do not count
                    if (s != null) {
                        endToEnd.add(now - s);
                    }
                }
            }

            public void disconnected(MqttDisconnectResponse r) {
            }

            public void mqttErrorOccurred(MqttException e) {
            }

            public void deliveryComplete(IMqttToken t) {
            }

            public void connectComplete(boolean reconnect, String uri) {
            }

            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        client.subscribe("vpp/+/commands", 1); // setCallback + subscribe(topic, qos): paho's listener variant overflows the stack
        return client;
    }

    /** One HTTP/1.1 keep-alive connection, written and read on the sender's own thread. */
    private static final class SocketSender {
        private final URI hub;
        private java.net.Socket socket;
        private java.io.OutputStream out;
        private java.io.InputStream in;

        SocketSender(URI hub) {
            this.hub = hub;
        }

        int post(String path, String secret, String body) throws java.io.IOException {
            if (socket == null) {
                socket = new java.net.Socket(hub.getHost(), hub.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(15_000);
                out = new java.io.BufferedOutputStream(socket.getOutputStream());
                in = new java.io.BufferedInputStream(socket.getInputStream());
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + hub.getHost() + "\r\nContent-Type: application/json\r\nx-api-key: "
                    + secret + "\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); ; size = Integer.parseInt(line().trim(), 16)) {
                    in.readNBytes(size);
                    line();
                    if (size == 0) {
                        break;
                    }
                }
            } else if (length > 0) {
                in.readNBytes(length);
            }
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new java.io.EOFException("the hub closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (java.io.IOException ignored) {
                // reconnects on the next request
            }
            socket = null;
        }
    }
}
