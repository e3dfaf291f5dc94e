package io.leapvpp.hub.devices;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The hub's MQTT 5 publishing connection: QoS 1 publishes pipelined through an in-flight window, each
 * completing only when the broker's PUBACK arrives (with a success reason code). The window is the
 * smaller of {@code hub.devices.mqtt.max-in-flight} and the broker's Receive Maximum (Mosquitto
 * defaults to 20, HiveMQ to 10), so the broker is never overrun. Clean start: anything in flight
 * when the connection drops is failed back to the outbox, which publishes it again with the same
 * command_id. See docs/decisions/0010-own-mqtt-client-for-devices.md.
 */
@Component("deviceMqtt")
public class DeviceMqttPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeviceMqttPublisher.class);

    private final DevicesProperties properties;
    private final List<Lane> lanes = new ArrayList<>();
    private volatile Runnable onConnected = () -> { };
    private volatile boolean running;

    /** One publishing connection with its own in-flight window. */
    private static final class Lane {
        MqttSession session;
        volatile Semaphore window;
    }

    public DeviceMqttPublisher(DevicesProperties properties,
                               @Value("${hub.mqtt.broker-url}") String brokerUrl,
                               @Value("${hub.mqtt.username:}") String username,
                               @Value("${hub.mqtt.password:}") String password) {
        this.properties = properties;
        int count = Math.max(1, properties.getMqtt().getPublisherConnections());
        for (int i = 0; i < count; i++) {
            Lane lane = new Lane();
            lane.window = new Semaphore(0);
            String clientId = properties.effectiveClientId() + "-pub" + (i == 0 ? "" : "-" + (i + 1));
            lane.session = new MqttSession("publisher", brokerUrl, clientId, username, password, true, null,
                    properties.getMqtt(), new MqttSession.Listener() {
                @Override
                public void connected(MqttSession s, boolean reconnect) {
                    int size = Math.max(1, Math.min(properties.getMqtt().getMaxInFlight(), s.serverReceiveMaximum()));
                    lane.window = new Semaphore(size); // permits of publishes lost with the old connection are not waited for
                    onConnected.run();
                }

                @Override
                public void disconnected(MqttSession s) {
                    lane.window = new Semaphore(0);
                }
            });
            lanes.add(lane);
        }
    }

    /** Called after every (re)connect: the outbox uses it to publish what waited. */
    public void onConnected(Runnable action) {
        this.onConnected = action == null ? () -> { } : action;
    }

    /** Every publishing connection is up. */
    public boolean isConnected() {
        return lanes.stream().allMatch(l -> l.session.isConnected());
    }

    /**
     * Publishing connections ({@code hub.devices.mqtt.publisher-connections}): each has its own in-flight window, so
     * together they move more commands per second than one without overrunning the broker. A gateway's commands
     * always take the same lane ({@link #laneOf}), so they reach it in the order they were written.
     */
    public int laneCount() {
        return lanes.size();
    }

    public boolean isConnected(int lane) {
        return lanes.get(lane).session.isConnected();
    }

    /** At least one publishing connection is up. */
    public boolean isAnyConnected() {
        return lanes.stream().anyMatch(l -> l.session.isConnected());
    }

    /**
     * The lane of a gateway: a function of its partner_reference alone (String.hashCode is the same in every JVM),
     * spread by a 32-bit mix so that references differing only in a trailing counter share the lanes evenly.
     */
    public static int laneOf(String partnerReference, int lanes) {
        int h = partnerReference.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, lanes);
    }

    /** Publishes on the first lane that is connected (retained plans: their order does not matter). */
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttProperties mqttProperties, boolean retained) {
        for (int i = 0; i < lanes.size(); i++) {
            if (isConnected(i)) {
                return publish(i, topic, payload, mqttProperties, retained);
            }
        }
        return publish(0, topic, payload, mqttProperties, retained);
    }

    /**
     * Publishes at QoS 1. The future completes when the broker acknowledged (PUBACK with a reason code
     * below 0x80), exceptionally otherwise. Blocks while the in-flight window is full.
     */
    public CompletableFuture<Void> publish(int lane, String topic, byte[] payload, MqttProperties mqttProperties, boolean retained) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Semaphore permits = lanes.get(lane).window;
        try {
            if (!permits.tryAcquire(properties.getOutbox().getPublishTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                result.completeExceptionally(new IllegalStateException("MQTT not connected or in-flight window full"));
                return result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
            return result;
        }
        MqttMessage message = new MqttMessage(payload, 1, retained, mqttProperties);
        Consumer<Throwable> done = error -> {
            permits.release();
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(error);
            }
        };
        MqttAsyncClient client = lanes.get(lane).session.client();
        for (int attempt = 0; ; attempt++) {
            try {
                client.publish(topic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] codes = token.getReasonCodes();
                        if (codes != null) {
                            for (int code : codes) {
                                if (code >= 0x80) {
                                    done.accept(new IllegalStateException("broker refused the publish, reason code 0x"
                                            + Integer.toHexString(code)));
                                    return;
                                }
                            }
                        }
                        done.accept(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        done.accept(error == null ? new IllegalStateException("publish failed") : error);
                    }
                });
                return result;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && attempt < 1000) {
                    // paho's own count is momentarily ahead of ours (a PUBACK being processed): wait a moment
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        done.accept(ie);
                        return result;
                    }
                    continue;
                }
                done.accept(e);
                return result;
            } catch (RuntimeException e) {
                done.accept(e);
                return result;
            }
        }
    }

    @Override
    public void start() {
        lanes.forEach(l -> l.session.start());
        running = true;
        log.info("Device publisher connecting to the MQTT broker as {}", lanes.stream().map(l -> l.session.clientId()).toList());
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
        // each disconnect may wait for the broker's answer; the lanes wait at the same time
        lanes.parallelStream().forEach(l -> l.session.stop());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // start before and stop after the Camel routes that use it
        return Integer.MAX_VALUE - 2048;
    }
}
