package io.leapvpp.hub.devices;

import io.leapvpp.hub.operations.SqlArrays;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbox → broker half of "nothing lost between database and broker" (issue 3, item 5).
 *
 * <p>{@link #publishDue()} claims {@code PENDING} commands with {@code FOR UPDATE SKIP LOCKED}
 * (hub instances sharing the database never publish the same row at once), publishes the batch
 * pipelined at QoS 1 and marks a command {@code SENT} only once its PUBACK is in, all in one
 * transaction. A crash before the commit leaves the rows PENDING: the next hub publishes them again
 * with the same command_id. A command whose timeslot already ended is marked {@code EXPIRED}.
 *
 * <p>Two ways to claim. The commands this hub's intake has just committed are handed over in memory
 * ({@link #handOver}) and claimed by their ids. Everything else (another hub's commands, re-sends,
 * failed publishes, what waited while the broker was down or the hub was stopped) is found by a search
 * of the outbox, run only when asked for ({@link #requestSearch}: the poll, a NOTIFY from another
 * writer, a reconnect). The search reads the partial index of PENDING rows from its oldest entry, and
 * that index keeps an entry for every command once PENDING until VACUUM reaches the table, so at high
 * volume one search read a thousand index pages; a claim by id reads only its own rows.
 *
 * <p>{@link #resendOrFailUnacked()} is the no-ack rule: a SENT command without any ack after
 * {@code hub.devices.ack-timeout} is published again, at most {@code hub.devices.max-resends} times,
 * then it is FAILED, its event FAILED, and an alert is queued for the digest mail.
 */
@Component("deviceOutbox")
public class DeviceOutbox {

    private static final Logger log = LoggerFactory.getLogger(DeviceOutbox.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DeviceMqttPublisher mqtt;
    private final DevicesProperties properties;
    private final DevicePlans plans;

    /** Publishes a batch's commands of the lanes other than the first, and runs the second batch worker. */
    private final ExecutorService workers;
    /** Commands committed by this hub's intake, in commit order, waiting to be claimed by id. Bounded: see handOver. */
    private final BlockingQueue<OutboxCommand> handedOver;
    /** Set by every wake-up that may concern commands not handed over; the first drain searches the outbox. */
    private final AtomicBoolean searchRequested = new AtomicBoolean(true);
    private final AtomicLong claimedByHandOver = new AtomicLong();
    /** Taken to claim a batch; a batch claimed later is published later. */
    private final ReentrantLock claimTurn = new ReentrantLock(true);
    /** Taken, before the claim turn is let go, to publish the claimed batch. */
    private final ReentrantLock publishTurn = new ReentrantLock(true);

    public DeviceOutbox(JdbcTemplate jdbc, TransactionTemplate tx, DeviceMqttPublisher mqtt, DevicesProperties properties,
                        DevicePlans plans) {
        this.plans = plans;
        this.jdbc = jdbc;
        this.tx = tx;
        this.mqtt = mqtt;
        this.properties = properties;
        this.handedOver = new LinkedBlockingQueue<>(Math.max(1, properties.getOutbox().getHandOverLimit()));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "device-outbox-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @jakarta.annotation.PreDestroy
    void close() {
        workers.shutdownNow();
    }

    /** A device command as the outbox holds it: what a claim needs to publish it. */
    public record OutboxCommand(String commandId, String partnerReference, String topic, String payload, Instant expiresAt) {
    }

    /** {@code searched}: the batch came from a search of the outbox (none was handed over). */
    private record BatchResult(int claimed, int sent, int failed, int expired, boolean searched) {
    }

    /**
     * Commands this hub has just committed, in commit order; the caller wakes the publisher. When more than
     * {@code hub.devices.outbox.hand-over-limit} wait (the broker is down, say), the rest are left to a search: they
     * are in the outbox all the same.
     */
    public void handOver(List<OutboxCommand> commands) {
        for (OutboxCommand c : commands) {
            if (!handedOver.offer(c)) {
                requestSearch();
                return;
            }
        }
    }

    /** Handed-over commands claimed so far (by their ids, not found by a search). */
    long claimedByHandOver() {
        return claimedByHandOver.get();
    }

    /** The next drain also searches the outbox for due commands that were not handed over. */
    public void requestSearch() {
        searchRequested.set(true);
    }

    /**
     * Publishes every due command; returns how many were acknowledged by the broker (0 while disconnected).
     *
     * <p>Two batches are under way at once when there is more than one batch to publish: while one waits for its
     * last PUBACKs and is marked SENT, the next is claimed and published (each holds a database connection). Without
     * that overlap the publisher stood idle at every batch's end: the broker's last PUBACKs of a batch took ~45 ms to
     * come back (Mosquitto leaves Nagle's algorithm on unless {@code set_tcp_nodelay}), twenty times for a
     * 10,000-meter group (the group bench did not get measurably faster with it, see docs/benchmarks.md: the two
     * cores, not the pause, set the pace there). Batches are claimed in turn and published in the order they were claimed, and a gateway's
     * commands always take the same publishing connection ({@link DeviceMqttPublisher#laneOf}), so they reach the
     * gateway in the order they were written.
     */
    public int publishDue() {
        if (!mqtt.isAnyConnected()) {
            return 0;
        }
        // taken before draining: a request that comes in meanwhile is served by the next wake-up
        boolean search = searchRequested.getAndSet(false);
        List<CompletableFuture<Integer>> second = new ArrayList<>(1);
        Runnable moreToDo = () -> {
            if (second.isEmpty()) {
                second.add(CompletableFuture.supplyAsync(() -> drain(() -> { }, search), workers));
            }
        };
        int sent = drain(moreToDo, search);
        for (CompletableFuture<Integer> worker : second) {
            try {
                sent += worker.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return sent;
    }

    /** Handed-over commands first, batch after batch; then, if asked for, a search while it fills whole batches. */
    private int drain(Runnable fullBatchPublished, boolean search) {
        int batchSize = Math.max(1, properties.getOutbox().getBatchSize());
        int sent = 0;
        boolean searching = search;
        while (true) {
            boolean searchNow = searching;
            BatchResult r = tx.execute(status -> publishBatch(batchSize, fullBatchPublished, searchNow));
            sent += r.sent();
            if (r.failed() > 0) {
                log.warn("{} device command(s) not acknowledged by the broker; they stay PENDING and are retried", r.failed());
                requestSearch(); // their retry is found by a search, as is whatever was handed over after them
                return sent;
            }
            if (r.searched()) {
                searching = r.claimed() == batchSize;
            }
            if (!searching && handedOver.isEmpty()) {
                return sent;
            }
        }
    }

    /**
     * One batch, in one transaction: claim (handed-over commands, or if none is left and {@code search}, a search),
     * publish (each lane's part on its connection at once), await the PUBACKs, mark SENT.
     */
    private BatchResult publishBatch(int batchSize, Runnable fullBatchPublished, boolean search) {
        long began = System.nanoTime();
        List<OutboxCommand> rows;
        boolean searched;
        claimTurn.lock();
        try {
            List<OutboxCommand> handed = claimHandedOver(batchSize);
            searched = handed.isEmpty() && search;
            rows = searched ? claim(batchSize) : handed;
            if (rows.isEmpty()) {
                return new BatchResult(0, 0, 0, 0, searched);
            }
            publishTurn.lock();
        } finally {
            claimTurn.unlock();
        }
        long claimed = System.nanoTime();
        Instant now = Instant.now();
        List<CompletableFuture<Void>> acks = new ArrayList<>(java.util.Collections.nCopies(rows.size(), null));
        try {
            List<List<Integer>> byLane = new ArrayList<>();
            for (int lane = 0; lane < mqtt.laneCount(); lane++) {
                byLane.add(new ArrayList<>());
            }
            for (int i = 0; i < rows.size(); i++) {
                byLane.get(DeviceMqttPublisher.laneOf(rows.get(i).partnerReference(), mqtt.laneCount())).add(i);
            }
            // the first lane with commands publishes on this thread, any other at the same time on a worker
            List<CompletableFuture<Void>> lanesPublishing = new ArrayList<>();
            int here = -1;
            for (int lane = 0; lane < byLane.size(); lane++) {
                if (byLane.get(lane).isEmpty()) {
                    continue;
                }
                if (here < 0) {
                    here = lane;
                } else {
                    int l = lane;
                    lanesPublishing.add(CompletableFuture.runAsync(() -> publish(l, byLane.get(l), rows, acks, now), workers));
                }
            }
            publish(here, byLane.get(here), rows, acks, now);
            lanesPublishing.forEach(CompletableFuture::join);
        } finally {
            publishTurn.unlock();
        }
        if (rows.size() == batchSize) {
            fullBatchPublished.run();
        }
        long published = System.nanoTime();
        awaitAll(acks.stream().filter(java.util.Objects::nonNull).toList());
        long acknowledged = System.nanoTime();

        List<String> sent = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        List<Object[]> failed = new ArrayList<>();
        Timestamp retryAt = Timestamp.from(Instant.now().plus(properties.getOutbox().getRetryDelay()));
        for (int i = 0; i < rows.size(); i++) {
            CompletableFuture<Void> f = acks.get(i);
            String id = rows.get(i).commandId();
            if (f == null) {
                expired.add(id);
            } else if (f.isDone() && !f.isCompletedExceptionally()) {
                sent.add(id);
            } else {
                String error = f.isDone() ? f.handle((v, e) -> String.valueOf(e)).join() : "no PUBACK within the publish timeout";
                failed.add(new Object[]{truncate(error), retryAt, id});
            }
        }
        // one statement for the whole batch: 500 single-row updates took ~45 ms of each batch's critical path
        updateAll("""
                UPDATE device_command c
                   SET status = 'SENT', publish_count = publish_count + 1, sent_at = now(), updated_at = now(), last_error = NULL
                  FROM unnest(?::text[]) AS batch(command_id)
                 WHERE c.command_id = batch.command_id""", sent);
        if (!failed.isEmpty()) {
            jdbc.batchUpdate("""
                    UPDATE device_command SET last_error = ?, next_attempt_at = ?, updated_at = now()
                     WHERE command_id = ?""", failed);
        }
        if (!expired.isEmpty()) {
            updateAll("""
                    UPDATE device_command c SET status = 'EXPIRED', last_error = 'timeslot ended before it could be published',
                           updated_at = now()
                      FROM unnest(?::text[]) AS batch(command_id)
                     WHERE c.command_id = batch.command_id""", expired);
            log.warn("{} device command(s) expired before publication", expired.size());
        }
        // the gateways whose commands changed get their retained plan published again
        Set<String> gateways = new LinkedHashSet<>();
        rows.forEach(r -> gateways.add(r.partnerReference()));
        plans.queue(gateways);
        if (log.isDebugEnabled()) {
            log.debug("{} command(s) claimed in {} ms (turn included), published in {} ms (turn included), last PUBACK {} ms later, "
                            + "recorded in {} ms", rows.size(), (claimed - began) / 1_000_000, (published - claimed) / 1_000_000,
                    (acknowledged - published) / 1_000_000, (System.nanoTime() - acknowledged) / 1_000_000);
        }
        return new BatchResult(rows.size(), sent.size(), failed.size(), expired.size(), searched);
    }

    /**
     * Publishes one lane's part of a batch, in the batch's order; {@code acks.get(i)} is the PUBACK of row i, left null
     * for a command whose timeslot has ended. A lane that is not connected fails its part at once (retried later).
     */
    private void publish(int lane, List<Integer> part, List<OutboxCommand> rows, List<CompletableFuture<Void>> acks, Instant now) {
        boolean connected = mqtt.isConnected(lane);
        for (int i : part) {
            OutboxCommand row = rows.get(i);
            long expirySeconds = (long) Math.ceil((row.expiresAt().toEpochMilli() - now.toEpochMilli()) / 1000.0);
            if (expirySeconds <= 0) {
                continue;
            }
            acks.set(i, connected
                    ? mqtt.publish(lane, row.topic(), row.payload().getBytes(StandardCharsets.UTF_8), commandProperties(row, expirySeconds), false)
                    : CompletableFuture.failedFuture(new IllegalStateException("publishing connection " + lane + " is not connected")));
        }
    }

    /**
     * Handed-over commands, up to a batch, in the order they were handed over: those still PENDING and not claimed by
     * someone else (a search of this or another hub, or a newer version superseding them). Takes batches until one
     * has a command to publish or none is left.
     */
    private List<OutboxCommand> claimHandedOver(int batchSize) {
        List<OutboxCommand> taken = new ArrayList<>(Math.min(batchSize, handedOver.size()));
        while (taken.isEmpty() && handedOver.drainTo(taken, batchSize) > 0) {
            // "status || ''": with a plain status = 'PENDING' the planner reads the partial index of PENDING rows (dead
            // entries and all, see above) instead of the primary key
            Set<String> pending = new HashSet<>(jdbc.query(SqlArrays.statement("""
                    SELECT command_id FROM device_command
                     WHERE command_id = ANY(?::text[]) AND status || '' = 'PENDING'
                       FOR UPDATE SKIP LOCKED""", "text", taken.stream().map(OutboxCommand::commandId).toList()),
                    (rs, i) -> rs.getString(1)));
            taken.removeIf(c -> !pending.contains(c.commandId()));
        }
        claimedByHandOver.addAndGet(taken.size());
        return taken;
    }

    /**
     * The oldest due commands; the index on (next_attempt_at, command_id) of PENDING rows gives them in order. Only the
     * state rows are locked: the messages are never written after the intake.
     */
    private List<OutboxCommand> claim(int batchSize) {
        return jdbc.query("""
                        SELECT c.command_id, c.partner_reference, m.topic, m.payload::text AS payload, c.expires_at
                          FROM device_command c JOIN device_command_message m ON m.id = c.id
                         WHERE c.status = 'PENDING' AND c.next_attempt_at <= now()
                         ORDER BY c.next_attempt_at, c.command_id
                         LIMIT ?
                           FOR UPDATE OF c SKIP LOCKED""",
                (rs, i) -> new OutboxCommand(rs.getString("command_id"), rs.getString("partner_reference"), rs.getString("topic"),
                        rs.getString("payload"), rs.getTimestamp("expires_at").toInstant()),
                batchSize);
    }

    private void updateAll(String sql, List<String> commandIds) {
        if (commandIds.isEmpty()) {
            return;
        }
        jdbc.update(SqlArrays.statement(sql, "text", commandIds));
    }

    MqttProperties commandProperties(OutboxCommand row, long expirySeconds) {
        MqttProperties p = new MqttProperties();
        p.setMessageExpiryInterval(expirySeconds);
        p.setCorrelationData(row.commandId().getBytes(StandardCharsets.UTF_8));
        p.setResponseTopic(properties.ackTopic(row.partnerReference()));
        p.setContentType("application/json");
        p.setPayloadFormat(true);
        return p;
    }

    private void awaitAll(List<CompletableFuture<Void>> futures) {
        if (futures.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(properties.getOutbox().getPublishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // per-command outcome is read below
        }
    }

    /**
     * The no-ack rule. Returns how many commands were put back for re-publication (the route wakes the
     * publisher when that is more than zero).
     */
    public int resendOrFailUnacked() {
        long timeoutMs = properties.getAckTimeout().toMillis();
        int maxPublishes = 1 + Math.max(0, properties.getMaxResends());
        List<Map<String, Object>> failed = tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList("""
                            UPDATE device_command
                               SET status = 'FAILED', updated_at = now(),
                                   last_error = CASE WHEN expires_at <= now() THEN 'no ack before the timeslot ended'
                                                     ELSE 'no ack after ' || publish_count || ' publications' END
                             WHERE status = 'SENT' AND acked_at IS NULL
                               AND sent_at < now() - (? * interval '1 millisecond')
                               AND (publish_count >= ? OR expires_at <= now())
                         RETURNING command_id, event_id, event_version, partner_reference, meter_id, action, publish_count, last_error""",
                    timeoutMs, maxPublishes);
            for (Map<String, Object> row : rows) {
                jdbc.update("""
                        UPDATE dispatch_event SET state = 'FAILED', updated_at = now()
                         WHERE event_id = ? AND version = ?""", row.get("event_id"), row.get("event_version"));
                jdbc.update("""
                        INSERT INTO hub_alert (kind, reference, detail)
                        VALUES ('COMMAND_NO_ACK', ?, ?)""",
                        row.get("command_id"),
                        "gateway " + row.get("partner_reference") + ", meter " + row.get("meter_id") + ", event "
                                + row.get("event_id") + " (" + row.get("action") + "): " + row.get("last_error"));
            }
            return rows;
        });
        if (!failed.isEmpty()) {
            log.error("{} device command(s) FAILED for lack of an ack: {}", failed.size(),
                    failed.stream().limit(10).map(r -> String.valueOf(r.get("command_id"))).toList());
        }
        int resent = jdbc.update("""
                        UPDATE device_command SET status = 'PENDING', next_attempt_at = now(), updated_at = now()
                         WHERE status = 'SENT' AND acked_at IS NULL
                           AND sent_at < now() - (? * interval '1 millisecond')
                           AND publish_count < ?""",
                timeoutMs, maxPublishes);
        if (resent > 0) {
            log.warn("{} device command(s) without an ack after {}: publishing them again (same command_id)",
                    resent, properties.getAckTimeout());
        }
        return resent;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
