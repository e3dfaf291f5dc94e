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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * The fast path into the outbox: a dedicated PostgreSQL connection (not from the pool) that
 * {@code LISTEN}s on {@code device_command_due}; every notification, every MQTT (re)connect and every
 * LISTEN (re)connect wakes the outbox publisher route through a one-slot SEDA queue, so a burst of
 * notifications becomes one drain. If the connection drops it is opened again; the route's poll
 * ({@code hub.devices.outbox.poll-interval}) covers the gap.
 */
@Component("outboxWakeups")
public class OutboxWakeups implements SmartLifecycle {

    /** The same URI in routes/25-device-outbox.camel.yaml: one slot, extra wake-ups are dropped. */
    public static final String WAKEUP_URI = "seda:device-outbox-wakeup?size=1&discardWhenFull=true";
    public static final String CHANNEL = "device_command_due";

    private static final Logger log = LoggerFactory.getLogger(OutboxWakeups.class);

    // Looked up lazily: a SmartLifecycle bean that holds the CamelContext makes Spring start Camel
    // early, before the route files are loaded (Camel would then run with no routes at all).
    private final ObjectProvider<CamelContext> camel;
    private final DevicesProperties properties;
    private final String url;
    private final String user;
    private final String password;
    private volatile ProducerTemplate producer;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    public OutboxWakeups(ObjectProvider<CamelContext> camel, DevicesProperties properties, DeviceMqttPublisher mqtt,
                         @Value("${spring.datasource.url}") String url,
                         @Value("${spring.datasource.username:}") String user,
                         @Value("${spring.datasource.password:}") String password) {
        this.camel = camel;
        this.properties = properties;
        this.url = url;
        this.user = user;
        this.password = password;
        mqtt.onConnected(() -> wake("mqtt-connected"));
    }

    /** Asks the outbox publisher to drain now; never blocks. */
    public void wake(String reason) {
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
                        wake("notify");
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
