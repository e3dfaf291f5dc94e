package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A device gateway imitation: subscribes to topic filters at QoS 1, records every message with its
 * MQTT 5 properties, and (when given an answer function) acks each command on its response topic.
 * Uses setCallback + subscribe(topic, qos), never paho's subscribe-with-listener (StackOverflowError).
 */
final class SimulatedDevice implements MqttCallback, AutoCloseable {

    record Received(String topic, String payload, int qos, boolean retained, MqttProperties properties, Instant at) {
        JsonNode json() {
            try {
                return DeviceFixtures.JSON.readTree(payload);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttAsyncClient client;
    private volatile Function<JsonNode, String> answer;

    SimulatedDevice(String brokerUrl, String... filters) throws MqttException {
        client = new MqttAsyncClient(brokerUrl, "sim-" + UUID.randomUUID().toString().substring(0, 12), new MemoryPersistence());
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        client.connect(o).waitForCompletion(10_000);
        for (String filter : filters) {
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }
    }

    /** Ack every command with the status the function returns (null = stay silent). */
    SimulatedDevice answering(Function<JsonNode, String> statusFor) {
        this.answer = statusFor;
        return this;
    }

    void ack(String topic, String commandId, String status, String reason) throws MqttException {
        String body = "{\"command_id\":\"" + commandId + "\",\"status\":\"" + status + "\",\"reason\":"
                + (reason == null ? "null" : "\"" + reason + "\"") + ",\"at\":\"" + Instant.now() + "\"}";
        publishRaw(topic, body);
    }

    synchronized void publishRaw(String topic, String body) throws MqttException { // one at a time: within any broker's receive maximum
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                client.publish(topic, new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties()))
                        .waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                // paho counts the previous publish in flight a moment after its completion was signalled
                // (paho.mqtt.java#551): "Too many publishes in progress" even one at a time; wait and try again
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    List<Received> on(String topicSuffix) {
        return received.stream().filter(r -> r.topic().endsWith(topicSuffix)).toList();
    }

    List<Received> await(String topicSuffix, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> list = on(topicSuffix);
            if (list.size() >= count) {
                return list;
            }
            Thread.sleep(20);
        }
        return on(topicSuffix);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received r = new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                message.isRetained(), message.getProperties(), Instant.now());
        received.add(r);
        Function<JsonNode, String> a = answer;
        if (a != null && topic.endsWith("/commands")) {
            String status = a.apply(r.json());
            if (status != null) {
                new Thread(() -> {
                    try {
                        ack(r.properties().getResponseTopic(), r.json().get("command_id").asText(), status,
                                "rejected".equals(status) ? "battery in maintenance" : null);
                    } catch (MqttException e) {
                        throw new IllegalStateException(e);
                    }
                }).start();
            }
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
        } finally {
            client.close(true);
        }
    }

    @Override public void disconnected(MqttDisconnectResponse r) { }
    @Override public void mqttErrorOccurred(MqttException e) { }
    @Override public void deliveryComplete(IMqttToken t) { }
    @Override public void connectComplete(boolean reconnect, String uri) { }
    @Override public void authPacketArrived(int code, MqttProperties p) { }
}
