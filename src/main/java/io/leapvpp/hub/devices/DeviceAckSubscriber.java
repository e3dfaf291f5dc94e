package io.leapvpp.hub.devices;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives device acks and hands each to the route {@code device-ack-received}
 * ({@code direct:device-ack}). Instead of Camel's paho-mqtt5 consumer, which in 4.17 can stay idle
 * after a failed re-subscribe (CAMEL-24511), this is a durable MQTT 5 session (clean start false,
 * session expiry {@code hub.devices.ack-session-expiry}) that subscribes again after every
 * (re)connect and retries the subscribe until the broker grants it. Acks published while the hub is
 * disconnected are queued by the broker and delivered after the reconnect. The PUBACK to the broker
 * is sent when the route returned, so an ack is only gone from the broker once it is stored.
 * See docs/decisions/0011-ack-consumer-camel-24511.md.
 */
@Component("deviceAckSubscriber")
public class DeviceAckSubscriber implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeviceAckSubscriber.class);
    public static final String ROUTE_URI = "direct:device-ack";

    // Looked up lazily: a SmartLifecycle bean that holds the CamelContext makes Spring start Camel
    // early, before the route files are loaded (Camel would then run with no routes at all).
    private final ObjectProvider<CamelContext> camel;
    private final DevicesProperties properties;
    private final MqttSession session;
    private final AtomicLong received = new AtomicLong();
    private volatile boolean subscribed;
    private volatile boolean running;
    private volatile ProducerTemplate producer;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ack-resubscribe");
        t.setDaemon(true);
        return t;
    });

    public DeviceAckSubscriber(ObjectProvider<CamelContext> camel, DevicesProperties properties,
                               @Value("${hub.mqtt.broker-url}") String brokerUrl,
                               @Value("${hub.mqtt.username:}") String username,
                               @Value("${hub.mqtt.password:}") String password) {
        this.camel = camel;
        this.properties = properties;
        this.session = new MqttSession("acks", brokerUrl, ackClientId(properties), username, password,
                false, Math.max(0, properties.getAckSessionExpiry().toSeconds()), properties.getMqtt(), new MqttSession.Listener() {
            @Override
            public void connected(MqttSession s, boolean reconnect) {
                subscribe(s, 0);
            }

            @Override
            public void disconnected(MqttSession s) {
                subscribed = false;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                handle(topic, message);
            }
        });
    }

    /**
     * The durable session's client id names the share group: a resumed session keeps its old
     * subscriptions, so a session that once subscribed in another group would get every ack twice.
     */
    static String ackClientId(DevicesProperties properties) {
        String group = properties.getAckShareGroup() == null ? "" : properties.getAckShareGroup().trim();
        String id = properties.effectiveClientId() + "-acks" + (group.isEmpty() ? "" : "-" + group.replaceAll("[^A-Za-z0-9._-]", ""));
        return id.length() > 100 ? id.substring(0, 100) : id;
    }

    private void subscribe(MqttSession s, int attempt) {
        String filter = properties.ackSubscription();
        try {
            // asynchronous: blocking for the SUBACK inside paho's callback thread would deadlock
            s.client().subscribe(new MqttSubscription[]{new MqttSubscription(filter, 1)}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        retry(s, attempt, filter, "reason code 0x" + Integer.toHexString(codes[0]));
                    } else {
                        subscribed = true;
                        log.info("Subscribed to device acks on {}", filter);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    retry(s, attempt, filter, String.valueOf(error));
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            retry(s, attempt, filter, e.toString());
        }
    }

    private void retry(MqttSession s, int attempt, String filter, String why) {
        subscribed = false;
        log.warn("Subscribing to device acks on {} failed ({}); retrying", filter, why);
        long delay = Math.min(30_000, 500L * (attempt + 1));
        retries.schedule(() -> {
            if (running && s.isConnected()) {
                subscribe(s, attempt + 1);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void handle(String topic, MqttMessage message) {
        received.incrementAndGet();
        String body = new String(message.getPayload(), StandardCharsets.UTF_8);
        Map<String, Object> headers = new HashMap<>();
        headers.put("CamelMqttTopic", topic);
        if (message.getProperties() != null && message.getProperties().getCorrelationData() != null) {
            headers.put("deviceCorrelationData", new String(message.getProperties().getCorrelationData(), StandardCharsets.UTF_8));
        }
        try {
            awaitCamelStarted();
            ProducerTemplate p = producer;
            if (p == null) {
                p = camel.getObject().createProducerTemplate();
                producer = p;
            }
            p.sendBodyAndHeaders(ROUTE_URI, body, headers);
        } catch (RuntimeException e) {
            // the route's error policy already stored it as a dead letter; never let paho drop the connection
            log.error("Device ack on {} could not be processed: {}", topic, e.toString());
        }
    }

    /**
     * Camel starts after every SmartLifecycle bean (on the context-refreshed event), so a durable
     * session can deliver acks before the ack route runs; hold them (paho queues the rest) rather
     * than lose them.
     */
    private void awaitCamelStarted() {
        CamelContext context = camel.getObject();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (running && !context.isStarted() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean isSubscribed() {
        return subscribed && session.isConnected();
    }

    public long receivedCount() {
        return received.get();
    }

    @Override
    public void start() {
        running = true;
        session.start();
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
        retries.shutdownNow();
        session.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stopped first, while Camel still runs
        return Integer.MAX_VALUE;
    }
}
