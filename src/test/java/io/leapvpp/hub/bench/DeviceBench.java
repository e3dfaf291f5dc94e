package io.leapvpp.hub.bench;

import io.leapvpp.hub.HubApplication;
import io.leapvpp.hub.HubTestEnvironment;
import io.leapvpp.hub.devices.DeviceFixtures;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Device-side benchmark (bench/dispatch-bench.sh runs it; not part of `mvn verify`):
 * <ul>
 *   <li>outbox-to-device latency at low load: one command committed with NOTIFY, until it arrives at a
 *       subscribed device, p50/p99 over 300 samples (this is the device half of webhook-to-device);</li>
 *   <li>a 10,000-meter group dispatch: 10,000 commands committed in one transaction, time until every
 *       one is SENT (the broker's PUBACK is in) and until the device received all.</li>
 * </ul>
 * BENCH_BROKER=tcp://127.0.0.1:1883 runs it against Mosquitto (in-flight window 20) instead of the
 * embedded HiveMQ (receive maximum 10).
 */
@CamelSpringBootTest
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DeviceBench {

    static String broker() {
        String b = System.getenv("BENCH_BROKER");
        return b == null || b.isBlank() ? HubTestEnvironment.mqtt().getBrokerUrl() : b;
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        HubTestEnvironment.register(registry);
        registry.add("hub.mqtt.broker-url", DeviceBench::broker);
        registry.add("hub.devices.ack-share-group", () -> "bench-" + UUID.randomUUID().toString().substring(0, 8));
        registry.add("hub.devices.outbox.enabled", () -> "true"); // the test profile holds commands
        registry.add("hub.devices.outbox.publish-timeout", () -> "30s");
        // the bench's devices never ack: with the test profile's 20 s the commands of a run would be published again
        // during the next one
        registry.add("hub.devices.ack-timeout", () -> "30m");
        registry.add("logging.level.io.leapvpp.hub.devices", () -> "WARN");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;

    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    final AtomicInteger received = new AtomicInteger();

    MqttAsyncClient device(String filter) throws MqttException {
        return GroupDispatchBench.device(broker(), filter, 1, (topic, m) -> {
            long now = System.nanoTime();
            String id = new String(m.getProperties().getCorrelationData(), StandardCharsets.UTF_8);
            if (arrivals.putIfAbsent(id, now) == null && id.startsWith("grp-")) {
                received.incrementAndGet();
            }
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
        });
    }

    UUID event(String gw, Instant start, Instant end) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO dispatch_event (event_id, kind, market_group_id, partner_reference, start_time, end_time, cancelled,
                    version, content_hash, state) VALUES (?, 'GROUP', ?, ?, ?, ?, false, 1, 'h', 'COMMANDED')""",
                id, UUID.randomUUID(), gw, Timestamp.from(start), Timestamp.from(end));
        return id;
    }

    void command(String id, UUID event, UUID meter, String gw, Instant start, Instant end) {
        String payload = "{\"command_id\":\"" + id + "\",\"action\":\"schedule\",\"meter_id\":\"" + meter + "\",\"partner_reference\":\"" + gw
                + "\",\"market_group_event_id\":\"" + event + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + end
                + "\",\"target_kw\":12.5,\"nomination_kw\":15,\"priority\":1,\"is_voluntary\":false,\"performance_compensation_cap\":null,"
                + "\"dispatch_event_types\":[\"ECONOMIC\"],\"programs\":[],\"test\":false}";
        jdbc.update(DeviceFixtures.INSERT_PENDING_COMMAND, id, event, 1, meter, gw, "schedule", Timestamp.from(end), "vpp/" + gw + "/commands",
                payload);
    }

    /** The wall-clock time of a System.nanoTime() reading (PostgreSQL's now() is wall-clock time). */
    static Instant wallClockAt(long nanoTime) {
        return Instant.now().minusNanos(System.nanoTime() - nanoTime);
    }

    static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    @Test
    void run() throws Exception {
        Instant start = Instant.now().plus(5, ChronoUnit.MINUTES);
        Instant end = start.plus(1, ChronoUnit.HOURS);
        Thread.sleep(3000); // let the hub connect and settle

        // 1. low-load latency: commit (with NOTIFY) -> arrival at the device
        String gw1 = "bench-lat-" + UUID.randomUUID().toString().substring(0, 6);
        MqttAsyncClient d1 = device("vpp/" + gw1 + "/commands");
        UUID ev = event(gw1, start, end);
        int samples = 300;
        long[] lat = new long[samples];
        long[] claim = new long[samples];
        List<Instant> committedAt = new ArrayList<>();
        List<String> latIds = new ArrayList<>();
        for (int i = 0; i < samples + 20; i++) {
            String id = "lat-" + i + "-" + UUID.randomUUID();
            tx.executeWithoutResult(s -> command(id, ev, UUID.randomUUID(), gw1, start, end)); // the insert notifies (trigger)
            long t0 = System.nanoTime(); // committed: from here on it is the hub's work
            // wait without spinning: a spinning thread would take one of the two cores from the hub, PostgreSQL and the broker
            synchronized (arrivals) {
                while (!arrivals.containsKey(id)) {
                    if (System.nanoTime() - t0 > 5_000_000_000L) {
                        throw new IllegalStateException("command " + id + " did not arrive within 5 s");
                    }
                    arrivals.wait(100);
                }
            }
            if (i >= 20) { // first 20 are warm-up
                lat[i - 20] = arrivals.get(id) - t0;
                committedAt.add(wallClockAt(t0));
                latIds.add(id);
            }
            Thread.sleep(20);
        }
        Arrays.sort(lat);
        System.out.printf("BENCH outbox->device latency (commit to arrival at the device), %d samples: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                samples, pct(lat, 50) / 1e6, pct(lat, 99) / 1e6, lat[samples - 1] / 1e6);
        // where the time goes: sent_at is now() of the publisher's claim transaction, i.e. when the publisher woke
        for (int i = 0; i < samples; i++) {
            Timestamp claimedAt = jdbc.queryForObject("SELECT sent_at FROM device_command WHERE command_id = ?", Timestamp.class, latIds.get(i));
            claim[i] = java.time.Duration.between(committedAt.get(i), claimedAt.toInstant()).toNanos();
        }
        Arrays.sort(claim);
        System.out.printf("BENCH   of which commit -> the publisher's claim transaction began: p50 %.2f ms, p99 %.2f ms%n",
                pct(claim, 50) / 1e6, pct(claim, 99) / 1e6);

        // 2. a 10,000-meter group dispatch; its meters sit behind GROUP_GATEWAYS gateways (default: one each, as at
        // C&I sites), so the publishing lanes share the work the way they would in production. The first one meets a
        // hub whose publishing code the JIT has barely compiled (320 commands so far); the second one meets it warm,
        // as a hub that has been running would be.
        MqttAsyncClient d2 = device("vpp/+/commands");
        groupDispatch("first (cold JIT)", start, end);
        groupDispatch("second (warm)", start, end);
        System.out.printf("BENCH JVM (hub + embedded test servers) max heap used so far: see RSS in the script output%n");
        d1.disconnect().waitForCompletion(5000);
        d2.disconnect().waitForCompletion(5000);
    }

    void groupDispatch(String which, Instant start, Instant end) throws InterruptedException {
        String grp = "bench-grp-" + UUID.randomUUID().toString().substring(0, 6);
        int gateways = Integer.parseInt(System.getenv().getOrDefault("GROUP_GATEWAYS", "10000"));
        received.set(0);
        UUID group = event(grp, start, end);
        int n = 10_000;
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("grp-" + i + "-" + group);
        }
        long t0 = System.nanoTime();
        tx.executeWithoutResult(s -> {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                String gw2 = grp + "-" + (i % gateways);
                UUID meter = UUID.randomUUID();
                String payload = "{\"command_id\":\"" + id + "\",\"action\":\"schedule\",\"meter_id\":\"" + meter + "\",\"partner_reference\":\""
                        + gw2 + "\",\"market_group_event_id\":\"" + group + "\",\"start_time\":\"" + start + "\",\"end_time\":\"" + end
                        + "\",\"target_kw\":1.25,\"nomination_kw\":1.5,\"priority\":1,\"is_voluntary\":false,\"performance_compensation_cap\":null,"
                        + "\"dispatch_event_types\":[\"ECONOMIC\"],\"programs\":[],\"test\":false}";
                rows.add(new Object[]{id, group, 1, meter, gw2, "schedule", Timestamp.from(end), "vpp/" + gw2 + "/commands", payload});
            }
            jdbc.batchUpdate(DeviceFixtures.INSERT_PENDING_COMMAND, rows);
            jdbc.execute("SELECT pg_notify('device_command_due', '')");
        });
        long committed = System.nanoTime();
        long allSent = 0;
        long allArrived = 0;
        while (allSent == 0 || allArrived == 0) {
            if (allArrived == 0 && received.get() >= n) {
                allArrived = System.nanoTime();
            }
            // nothing else is pending here, so the outbox's own partial index answers this cheaply; counting the event's
            // 10,000 rows every 10 ms took a good share of the CPU the hub and PostgreSQL were being measured on
            if (allSent == 0 && Boolean.FALSE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM device_command WHERE status = 'PENDING')", Boolean.class))) {
                allSent = System.nanoTime();
            }
            if (System.nanoTime() - t0 > 120_000_000_000L) {
                throw new IllegalStateException("group dispatch not complete after 120 s: received " + received.get());
            }
            Thread.sleep(20);
        }
        int sent = jdbc.queryForObject("SELECT count(*) FROM device_command WHERE event_id = ? AND status = 'SENT'", Integer.class, group);
        if (sent != n) {
            throw new IllegalStateException("group dispatch ended with " + sent + " of " + n + " commands SENT");
        }
        System.out.printf("BENCH 10,000-meter group dispatch, %s, over %d gateway(s) on %s: insert+commit %.0f ms; commit -> every PUBACK "
                        + "in and SENT committed %.0f ms; commit -> device received all %.0f ms%n", which, Math.min(n, gateways), broker(),
                (committed - t0) / 1e6, (allSent - committed) / 1e6, (allArrived - committed) / 1e6);
        // the retained plans of the group's gateways go out after its commands; let them finish before what follows
        while (jdbc.queryForObject("SELECT count(*) FROM device_plan_due", Integer.class) > 0) {
            if (System.nanoTime() - t0 > 120_000_000_000L) {
                throw new IllegalStateException("the group's retained plans were not all published after 120 s");
            }
            Thread.sleep(200);
        }
    }
}
