package io.leapvpp.hub.devices;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes the outbox publisher route through a one-slot SEDA queue, so a burst of wake-ups becomes one drain.
 *
 * <p>Commands this hub's intake writes are handed to the outbox in memory when their transaction commits
 * ({@link #commandsWritten}): published at once, claimed by id. Every other wake-up asks the outbox to search for due
 * commands: the route's poll ({@code hub.devices.outbox.poll-interval}), every MQTT (re)connect, and a
 * {@code NOTIFY device_command_due} (sent by a trigger for every statement that writes commands) from a writer that is
 * not this hub's intake, received on a dedicated PostgreSQL connection (not from the pool) that {@code LISTEN}s; if
 * it drops it is opened again, and the poll covers the gap.
 */
@Component("outboxWakeups")
public class OutboxWakeups implements SmartLifecycle {

    /** The same URI in routes/25-device-outbox.camel.yaml: one slot, extra wake-ups are dropped. */
    public static final String WAKEUP_URI = "seda:device-outbox-wakeup?size=1&discardWhenFull=true";
    public static final String CHANNEL = "device_command_due";

    private static final Logger log = LoggerFactory.getLogger(OutboxWakeups.class);

    /**
     * A NOTIFY from a backend that wrote this hub's commands within this long was already handed over. (A backend
     * process id is reused only after its connection closed, and the poll covers the rare notification misjudged.)
     */
    private static final long OWN_WRITER_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    // Looked up lazily: a SmartLifecycle bean that holds the CamelContext makes Spring start Camel
    // early, before the route files are loaded (Camel would then run with no routes at all).
    private final ObjectProvider<CamelContext> camel;
    private final DevicesProperties properties;
    private final DeviceOutbox outbox;
    /** Backend process id of a pool connection that wrote commands → when (System.nanoTime). */
    private final Map<Integer, Long> ownWriters = new ConcurrentHashMap<>();
    private final AtomicLong notifyWakeups = new AtomicLong();
    private final String url;
    private final String user;
    private final String password;
    private volatile ProducerTemplate producer;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    public OutboxWakeups(ObjectProvider<CamelContext> camel, DevicesProperties properties, DeviceMqttPublisher mqtt,
                         DeviceOutbox outbox,
                         @Value("${spring.datasource.url}") String url,
                         @Value("${spring.datasource.username:}") String user,
                         @Value("${spring.datasource.password:}") String password) {
        this.camel = camel;
        this.properties = properties;
        this.outbox = outbox;
        this.url = url;
        this.user = user;
        this.password = password;
        mqtt.onConnected(() -> wake("mqtt-connected"));
    }

    /** Asks the outbox publisher to search the outbox and drain now; never blocks. */
    public void wake(String reason) {
        outbox.requestSearch();
        sendWakeup(reason);
    }

    /**
     * Called by the intake inside the transaction that wrote {@code commands}, on the connection with backend process
     * id {@code writer}: once it commits, the commands are handed to the outbox and the publisher is woken, without a
     * search; the NOTIFY that the same commit sends is then recognised as this hub's own and ignored.
     */
    public void commandsWritten(int writer, List<DeviceOutbox.OutboxCommand> commands) {
        if (!properties.getOutbox().isEnabled()) {
            return; // held in the outbox; nothing to publish them
        }
        long now = System.nanoTime();
        ownWriters.put(writer, now);
        if (ownWriters.size() > 64) {
            ownWriters.values().removeIf(at -> now - at > OWN_WRITER_WINDOW_NANOS);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                outbox.handOver(commands);
                sendWakeup("intake");
            }
        });
    }

    /** Wake-ups by a NOTIFY from another writer so far. */
    long notifyWakeups() {
        return notifyWakeups.get();
    }

    private boolean fromOwnWriter(PGNotification notification) {
        Long at = ownWriters.get(notification.getPID());
        return at != null && System.nanoTime() - at < OWN_WRITER_WINDOW_NANOS;
    }

    private void sendWakeup(String reason) {
        if (!running || !camel.getObject().isStarted()) {
            return;
        }
        try {
            ProducerTemplate p = producer;
            if (p == null) {
                p = camel.getObject().createProducerTemplate();
                producer = p;
            }
            p.sendBody(WAKEUP_URI, reason);
        } catch (RuntimeException e) {
            log.debug("Outbox wake-up ({}) not delivered: {}", reason, e.toString());
        }
    }

    private void listenLoop() {
        while (running) {
            Properties props = new Properties();
            if (user != null && !user.isEmpty()) {
                props.setProperty("user", user);
            }
            if (password != null && !password.isEmpty()) {
                props.setProperty("password", password);
            }
            props.setProperty("ApplicationName", "leap-vpp-hub outbox listener");
            props.setProperty("tcpKeepAlive", "true");
            try (Connection c = DriverManager.getConnection(url, props)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                log.info("Outbox listening on PostgreSQL channel {}", CHANNEL);
                wake("listen-connected");
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5000);
                    if (notifications != null && notifications.length > 0) {
                        if (!Arrays.stream(notifications).allMatch(this::fromOwnWriter)) {
                            notifyWakeups.incrementAndGet();
                            wake("notify");
                        }
                    } else if (!c.isValid(5)) {
                        throw new java.sql.SQLException("LISTEN connection is no longer valid");
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("Outbox LISTEN connection lost ({}); reconnecting in {}", e.toString(),
                            properties.getOutbox().getListenReconnectDelay());
                    try {
                        Thread.sleep(properties.getOutbox().getListenReconnectDelay().toMillis());
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::listenLoop, "outbox-listen");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Also on destroy: a context whose start failed after this bean started is destroyed without a lifecycle stop,
     * and its connection would live on (and, for acks, take a share of the group's messages).
     */
    @jakarta.annotation.PreDestroy
    void destroy() {
        stop();
    }

    @Override
    public void stop() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
