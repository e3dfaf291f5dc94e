package io.leapvpp.hub.bench;

import io.leapvpp.hub.devices.MqttSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 10,000-meter group dispatch against a running hub (bench/dispatch-bench.sh group; start the hub with
 * bench/hub-standalone.sh): one group dispatch webhook naming 10,000 meters with their partner_references (one gateway
 * each, as at C&I sites) is POSTed to the hub, and the bench reads off
 * <ul>
 *   <li>the webhook's answer: the hub has stored the notification, the event and the 10,000 commands (one transaction);</li>
 *   <li>from the answer until every command is SENT in the hub's database (the broker's PUBACK is in for each);</li>
 *   <li>from the answer until a device subscribed to vpp/+/commands has received all 10,000.</li>
 * </ul>
 * Unlike DeviceBench (commands written straight into the outbox of a hub started inside the test JVM beside its
 * embedded servers), this measures the hub as deployed: its own JVM, warmed up by the webhook runs, and the whole
 * path from Leap's request. Runs several dispatches in a row (RUNS, default 5), each after the previous one's retained
 * plans were published. Nothing else may be writing device commands meanwhile: "every command SENT" is read as "no
 * command PENDING" (the outbox's own index answers that without reading the group's rows), then checked by count.
 * With HUB_PID (and PG_PID, BROKER_PID) it also prints the CPU each used, for the intake and for the publication, and
 * that of the bench and of the whole machine. DEVICE=mosquitto_sub (default) or paho, DEVICE_QOS (1), WARMUP (0: runs
 * printed but left out of the summary).
 * Args: hubUrl secret jdbcUrl brokerUrl
 */
public final class GroupDispatchBench {

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String secret = args[1];
        String jdbcUrl = args[2];
        String broker = args[3];
        int meters = Integer.parseInt(System.getenv().getOrDefault("GROUP_METERS", "10000"));
        int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "5"));
        int deviceQos = Integer.parseInt(System.getenv().getOrDefault("DEVICE_QOS", "1"));
        int warmups = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "0"));

        AtomicInteger arrived = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong();
        String[] currentEvent = {""};
        Runnable arrival = () -> {
            lastArrival.set(System.nanoTime());
            arrived.incrementAndGet();
        };
        // the device stands in for 10,000 gateways that run on other machines: by default a mosquitto_sub process, which
        // takes a fraction of the shared cores a paho client in this JVM takes (DEVICE=paho, the device before 2026-12-07)
        AutoCloseable device = "mosquitto_sub".equals(System.getenv().getOrDefault("DEVICE", "mosquitto_sub"))
                ? mosquittoSub(broker, "vpp/+/commands", deviceQos, arrival)
                : pahoDevice(broker, deviceQos, payload -> {
                    if (payload.contains(currentEvent[0])) {
                        arrival.run();
                    }
                });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Double> publishSeconds = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, System.getenv().getOrDefault("DB_USER", "postgres"),
                System.getenv().getOrDefault("DB_PASSWORD", ""))) {
            waitFor(db, "SELECT NOT EXISTS (SELECT 1 FROM device_command WHERE status = 'PENDING') "
                    + "AND NOT EXISTS (SELECT 1 FROM device_plan_due)", "the outbox and the plan queue to be empty before the first run");
            for (int run = 1; run <= runs; run++) {
                UUID event = UUID.randomUUID();
                currentEvent[0] = event.toString();
                arrived.set(0);
                // the same gateways every run: each keeps one retained plan on the broker (gateways new in every run left
                // 10,000 retained plans per run behind, 3 GB in Mosquitto after a day of runs)
                String body = groupNotification(event, meters, "bench-grp");
                HttpRequest request = HttpRequest.newBuilder(URI.create(hub + "/leap/webhooks/dispatch/group"))
                        .header("Content-Type", "application/json").header("x-api-key", secret)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build();
                double[] cpuBefore = cpu();
                long sent = System.nanoTime();
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                long answered = System.nanoTime();
                double[] cpuAnswered = cpu();
                if (answer.statusCode() / 100 != 2) {
                    throw new IllegalStateException("the hub answered " + answer.statusCode() + ": " + answer.body());
                }
                long allSent = 0;
                while (allSent == 0) {
                    if (!exists(db, "SELECT 1 FROM device_command WHERE status = 'PENDING'")) {
                        allSent = System.nanoTime();
                    } else if (System.nanoTime() - answered > 120_000_000_000L) {
                        throw new IllegalStateException("commands still PENDING 120 s after the answer");
                    } else {
                        Thread.sleep(20);
                    }
                }
                double[] cpuSent = cpu();
                int sentCount = count(db, "SELECT count(*) FROM device_command WHERE event_id = '" + event + "' AND status = 'SENT'");
                if (sentCount != meters) {
                    throw new IllegalStateException(sentCount + " of " + meters + " commands SENT");
                }
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (arrived.get() < meters && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                double publish = (allSent - answered) / 1e9;
                publishSeconds.add(publish);
                System.out.printf("BENCH group dispatch %d of %d, %,d meters on %,d gateways: webhook answered in %.0f ms; answer -> every "
                                + "PUBACK in and SENT committed %.0f ms (request -> all SENT %.0f ms); answer -> device received %s %.0f ms%n",
                        run, runs, meters, meters, (answered - sent) / 1e6, publish * 1000, (allSent - sent) / 1e6,
                        arrived.get() == meters ? "all" : arrived.get() + " of " + meters, (lastArrival.get() - answered) / 1e6);
                if (cpuBefore.length > 0) {
                    System.out.printf("BENCH   CPU s (hub [of it JIT compiling], PostgreSQL, broker, this bench and its device; whole machine "
                                    + "of %.2f s on %d cores): intake %.2f [%.2f], %.2f, %.2f, %.2f; %.2f; answer -> all SENT %.2f [%.2f], %.2f, %.2f, %.2f; %.2f%n",
                            publish * CORES, CORES,
                            cpuAnswered[0] - cpuBefore[0], cpuAnswered[5] - cpuBefore[5], cpuAnswered[1] - cpuBefore[1],
                            cpuAnswered[2] - cpuBefore[2], cpuAnswered[3] - cpuBefore[3], cpuAnswered[4] - cpuBefore[4],
                            cpuSent[0] - cpuAnswered[0], cpuSent[5] - cpuAnswered[5], cpuSent[1] - cpuAnswered[1],
                            cpuSent[2] - cpuAnswered[2], cpuSent[3] - cpuAnswered[3], cpuSent[4] - cpuAnswered[4]);
                }
                waitFor(db, "SELECT NOT EXISTS (SELECT 1 FROM device_plan_due)", "the group's retained plans to be published");
                Thread.sleep(2000);
            }
        } finally {
            device.close();
        }
        if (warmups > 0) {
            System.out.printf("BENCH group dispatch: the first %d run(s) after the start warm the hub and the bench up and are left out below%n", warmups);
        }
        List<Double> sorted = publishSeconds.stream().skip(Math.min(warmups, publishSeconds.size() - 1)).sorted().toList();
        System.out.printf("BENCH group dispatch: answer -> all SENT over %d runs: median %.2f s, min %.2f s, max %.2f s%n",
                sorted.size(), sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static AutoCloseable pahoDevice(String broker, int qos, java.util.function.Consumer<String> arrival) throws MqttException {
        MqttAsyncClient client = device(broker, "vpp/+/commands", qos,
                (topic, message) -> arrival.accept(new String(message.getPayload(), StandardCharsets.UTF_8)));
        return () -> {
            client.disconnect().waitForCompletion(5000);
            client.close();
        };
    }

    /**
     * The bench device as a mosquitto_sub process that writes one byte per message it receives (only this run's commands
     * are published meanwhile, so the bytes are counted, not the payloads read): a C client costs the two shared cores
     * far less per message than a paho client in this JVM, whose three threads per message took a third of the
     * machine's CPU during a group's publication. The gateways of a real deployment run on other machines.
     */
    private static AutoCloseable mosquittoSub(String broker, String filter, int qos, Runnable arrival)
            throws java.io.IOException, InterruptedException {
        URI uri = URI.create(broker);
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-V", "mqttv5",
                "-q", String.valueOf(qos), "-t", filter, "-N", "-F", "x", "--nodelay",
                // as the paho device: the broker may send it any number unacknowledged, so it queues none (Mosquitto
                // drops what a subscriber's queue of 1,000 cannot take; one device stands in for 10,000 gateways)
                "-D", "CONNECT", "receive-maximum", "65535")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (var in = sub.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        arrival.run();
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "bench-device");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(500); // subscribed before the first run
        if (!sub.isAlive()) {
            throw new IllegalStateException("mosquitto_sub ended at once (exit " + sub.exitValue() + ")");
        }
        return () -> {
            sub.destroy();
            sub.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        };
    }

    /**
     * CPU seconds so far of the hub (HUB_PID), PostgreSQL (PG_PID: the postmaster, its backends and the backends it
     * reaped), the broker (BROKER_PID), this bench (its device and database polls) and the whole machine; empty when
     * HUB_PID is not set.
     */
    static double[] cpu() throws java.io.IOException {
        String hub = System.getenv("HUB_PID");
        if (hub == null || hub.isBlank()) {
            return new double[0];
        }
        String pg = System.getenv().getOrDefault("PG_PID", "");
        String broker = System.getenv().getOrDefault("BROKER_PID", "");
        double pgTotal = 0;
        if (!pg.isBlank()) {
            pgTotal = ticks(pg, true);
            try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        String[] f = stat(name);
                        if (f != null && f[1].equals(pg)) {
                            pgTotal += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    }
                }
            }
        }
        return new double[]{ticks(hub, false) / 100.0, pgTotal / 100.0, broker.isBlank() ? 0 : ticks(broker, false) / 100.0,
                ticks(String.valueOf(ProcessHandle.current().pid()), false) / 100.0, machineBusyTicks() / 100.0,
                compilerTicks(hub) / 100.0};
    }

    /** CPU ticks of the JVM's JIT compiler threads (C1, C2): a hub that has just started spends much of its CPU there. */
    private static long compilerTicks(String pid) throws java.io.IOException {
        long total = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", pid, "task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String s = java.nio.file.Files.readString(task.resolve("stat"));
                    String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        }
        return total;
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Clock ticks every core spent on anything but idling and waiting for I/O, from the first line of /proc/stat. */
    private static long machineBusyTicks() throws java.io.IOException {
        String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    /** utime + stime (+ cutime + cstime) in clock ticks (100 per second on Linux). */
    private static double ticks(String pid, boolean reapedChildren) {
        String[] f = stat(pid);
        if (f == null) {
            return 0;
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + (reapedChildren ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
    }

    /** The fields of /proc/pid/stat after the command name: [0] state, [1] ppid, ..., [11] utime, [12] stime, ... */
    private static String[] stat(String pid) {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    static String groupNotification(UUID event, int meters, String gatewayPrefix) {
        Instant start = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        StringBuilder ids = new StringBuilder();
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < meters; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(UUID.randomUUID()).append('"');
            refs.append(i == 0 ? "" : ",").append('"').append(gatewayPrefix).append('-').append(i).append('"');
        }
        return "{\"integration_test_notification\":false,\"communication_test\":false,\"group_dispatches\":[{\"market_group_id\":\""
                + UUID.randomUUID() + "\",\"meter_ids\":[" + ids + "],\"partner_references\":[" + refs + "],\"timeslots\":[{"
                + "\"market_group_event_id\":\"" + event + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + start.plus(1, ChronoUnit.HOURS)
                + "\",\"cancelled\":false,\"energy_kw\":12500,\"nomination_kw\":15000,\"priority\":1,\"is_voluntary\":false,"
                + "\"performance_compensation_cap\":\"up-to-site-load\",\"dispatch_event_types\":[\"day-ahead\"],\"programs\":[\"CCA\"]}]}]}";
    }

    interface Arrival {
        void arrived(String topic, MqttMessage message);
    }

    /** A paho callback that hands every message to {@code arrival} and ignores everything else. */
    static MqttCallback onMessage(Arrival arrival) {
        return new MqttCallback() {
            @Override public void messageArrived(String topic, MqttMessage message) {
                arrival.arrived(topic, message);
            }
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int code, MqttProperties p) { }
        };
    }

    /** A bench device: subscribes to {@code filter} at {@code qos} and hands every message to {@code arrival}. */
    static MqttAsyncClient device(String broker, String filter, int qos, Arrival arrival) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(broker, "bench-group-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        client.setCallback(onMessage(arrival));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setReceiveMaximum(65535);
        options.setSocketFactory(new MqttSocketFactory());
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(filter, qos).waitForCompletion(10_000);
        return client;
    }

    private static void waitFor(Connection db, String condition, String what) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!bool(db, condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static boolean exists(Connection db, String query) throws SQLException {
        return bool(db, "SELECT EXISTS (" + query + ")");
    }

    private static boolean bool(Connection db, String query) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int count(Connection db, String query) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
