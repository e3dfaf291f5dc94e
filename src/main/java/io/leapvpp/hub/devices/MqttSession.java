package io.leapvpp.hub.devices;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One paho MQTT 5 async connection that stays up: the first connect is retried until it succeeds
 * (paho's automatic reconnect only covers connections that were once established), later drops are
 * handled by paho's automatic reconnect, and {@link Listener#connected} runs after every (re)connect
 * so the owner can re-subscribe or resume publishing.
 *
 * <p>Deliberately no {@code subscribe(topic, qos, listener)}: in paho 1.2.5 it recurses into a
 * StackOverflowError (paho.mqtt.java #816); messages arrive through {@link MqttCallback}.
 */
final class MqttSession implements MqttCallback {

    interface Listener {
        default void connected(MqttSession session, boolean reconnect) {
        }

        default void disconnected(MqttSession session) {
        }

        default void messageArrived(String topic, MqttMessage message) throws Exception {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MqttSession.class);

    private final String name;
    private final String brokerUrl;
    private final String clientId;
    private final MqttConnectionOptions options;
    private final Listener listener;
    private final long maxRetryDelayMs;
    private final ScheduledExecutorService retries;
    private volatile MqttAsyncClient client;
    private volatile boolean stopped;
    private volatile int serverReceiveMaximum = 65535;

    MqttSession(String name, String brokerUrl, String clientId, String username, String password,
                boolean cleanStart, Long sessionExpirySeconds, DevicesProperties.Mqtt mqtt, Listener listener) {
        this.name = name;
        this.brokerUrl = brokerUrl;
        this.clientId = clientId;
        this.listener = listener;
        this.maxRetryDelayMs = Math.max(100, mqtt.getMaxReconnectDelay().toMillis());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        if (sessionExpirySeconds != null) {
            o.setSessionExpiryInterval(sessionExpirySeconds);
        }
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, (int) Math.max(1, mqtt.getMaxReconnectDelay().toSeconds()));
        o.setKeepAliveInterval((int) Math.max(1, mqtt.getKeepAlive().toSeconds()));
        o.setConnectionTimeout((int) Math.max(1, mqtt.getConnectTimeout().toSeconds()));
        if (username != null && !username.isBlank()) {
            o.setUserName(username);
        }
        if (password != null && !password.isBlank()) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (brokerUrl.startsWith("tcp://")) {
            o.setSocketFactory(new MqttSocketFactory());
        }
        this.options = o;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-" + name + "-connect");
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void start() {
        stopped = false;
        try {
            client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("Invalid MQTT settings for " + name + " (" + brokerUrl + ")", e);
        }
        client.setCallback(this);
        connect(500);
    }

    private void connect(long nextDelayMs) {
        if (stopped) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    MqttProperties props = token.getResponseProperties();
                    if (props != null && props.getReceiveMaximum() != null && props.getReceiveMaximum() > 0) {
                        serverReceiveMaximum = props.getReceiveMaximum();
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    log.warn("MQTT {} cannot connect to {} ({}); retrying in {} ms", name, brokerUrl, error.toString(), nextDelayMs);
                    retries.schedule(() -> connect(Math.min(maxRetryDelayMs, nextDelayMs * 2)), nextDelayMs, TimeUnit.MILLISECONDS);
                }
            });
        } catch (MqttException e) {
            if (e.getReasonCode() == 32100
                    || e.getReasonCode() == 32110) {
                return;
            }
            log.warn("MQTT {} connect failed ({}); retrying in {} ms", name, e.toString(), nextDelayMs);
            retries.schedule(() -> connect(Math.min(maxRetryDelayMs, nextDelayMs * 2)), nextDelayMs, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        stopped = true;
        retries.shutdownNow();
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.debug("MQTT {} disconnect: {}", name, e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            log.debug("MQTT {} close: {}", name, e.toString());
        }
    }

    boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    MqttAsyncClient client() {
        return client;
    }

    String clientId() {
        return clientId;
    }

    int serverReceiveMaximum() {
        return serverReceiveMaximum;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        log.info("MQTT {} {} to {} as {}", name, reconnect ? "reconnected" : "connected", serverURI, clientId);
        try {
            listener.connected(this, reconnect);
        } catch (RuntimeException e) {
            log.error("MQTT {} after-connect step failed", name, e);
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (!stopped) {
            log.warn("MQTT {} lost its connection to {}: {}; paho reconnects automatically", name, brokerUrl,
                    response == null ? "" : response.getException() == null ? response.getReasonString() : response.getException().toString());
        }
        listener.disconnected(this);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        log.warn("MQTT {} error: {}", name, exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        listener.messageArrived(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // publish outcomes are handled per message by DeviceMqttPublisher's action listener
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
