package io.leapvpp.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HiveMQ CE on a random loopback port, real MQTT 5 clients (paho mqttv5). */
class EmbeddedMqttBrokerTest {

    @TempDir
    Path dataDir;

    private EmbeddedMqttBroker broker;
    private final List<MqttClient> clients = new java.util.ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = new EmbeddedMqttBroker("127.0.0.1", 0, dataDir.resolve("mqtt"));
        broker.start();
    }

    @AfterEach
    void stopAll() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
        broker.stop();
    }

    @Test
    void qos1PublishKeepsMessageExpiryAndUserProperties() throws Exception {
        assertThat(broker.getPort()).isPositive();
        assertThat(broker.getBrokerUrl()).isEqualTo("tcp://127.0.0.1:" + broker.getPort());
        assertThat(Files.readString(dataDir.resolve("mqtt/conf/config.xml")))
                .contains("<port>" + broker.getPort() + "</port>", "<bind-address>127.0.0.1</bind-address>");

        Subscriber subscriber = subscriber("sub-1", "sites/+/telemetry");

        MqttClient publisher = connect("pub-1");
        MqttMessage message = new MqttMessage("{\"kw\":12.5}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setMessageExpiryInterval(300L);
        properties.setUserProperties(List.of(new UserProperty("source", "test")));
        message.setProperties(properties);
        publisher.publish("sites/s1/telemetry", message);

        Received received = subscriber.next();
        assertThat(received.topic()).isEqualTo("sites/s1/telemetry");
        assertThat(new String(received.message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"kw\":12.5}");
        assertThat(received.message().getQos()).isEqualTo(1);
        // the broker forwards the remaining lifetime: at most what was sent, and not yet expired
        assertThat(received.message().getProperties().getMessageExpiryInterval()).isBetween(1L, 300L);
        assertThat(received.message().getProperties().getUserProperties())
                .extracting(UserProperty::getKey, UserProperty::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("source", "test"));
    }

    @Test
    void retainedMessageReachesLateSubscribersAndSurvivesARestart() throws Exception {
        MqttClient publisher = connect("pub-retained");
        MqttMessage message = new MqttMessage("online".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(true);
        publisher.publish("sites/s1/status", message);
        publisher.disconnect();

        Received late = subscriber("late-1", "sites/+/status").next();
        assertThat(late.message().isRetained()).isTrue();
        assertThat(late.message().getPayload()).isEqualTo("online".getBytes(StandardCharsets.UTF_8));

        int portBefore = broker.getPort();
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        MqttClient refused = new MqttClient("tcp://127.0.0.1:" + portBefore, "while-stopped", new MemoryPersistence());
        clients.add(refused);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(2);
        assertThatThrownBy(() -> refused.connect(options)).isInstanceOf(MqttException.class);

        broker.start();

        // a new HiveMQ instance on the same data folder: the retained message came back from disk
        Subscriber afterRestart = subscriber("late-2", "sites/+/status");
        Received retained = afterRestart.next();
        assertThat(retained.message().isRetained()).isTrue();
        assertThat(retained.message().getPayload()).isEqualTo("online".getBytes(StandardCharsets.UTF_8));
        // and live traffic flows again
        connect("pub-after-restart").publish("sites/s1/status", "busy".getBytes(StandardCharsets.UTF_8), 1, false);
        Received live = afterRestart.next();
        assertThat(live.message().isRetained()).isFalse();
        assertThat(live.message().getPayload()).isEqualTo("busy".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void portInUseFailsTheStartInsteadOfRunningWithoutListener() throws Exception {
        int port = broker.getPort();
        broker.stop();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedMqttBroker second = new EmbeddedMqttBroker("127.0.0.1", port, dataDir.resolve("mqtt"));
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Demo MQTT broker did not start on 127.0.0.1:" + port);
            assertThat(second.isRunning()).isFalse();
        }
    }

    private MqttClient connect(String clientId) throws MqttException {
        MqttClient client = new MqttClient(broker.getBrokerUrl(), clientId, new MemoryPersistence());
        clients.add(client);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        client.connect(options);
        return client;
    }

    /** setCallback + subscribe(topic, qos): subscribe(topic, qos, listener) overflows the stack in paho v5. */
    private Subscriber subscriber(String clientId, String filter) throws MqttException {
        MqttClient client = new MqttClient(broker.getBrokerUrl(), clientId, new MemoryPersistence());
        clients.add(client);
        Subscriber subscriber = new Subscriber();
        client.setCallback(subscriber);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        client.connect(options);
        client.subscribe(filter, 1);
        return subscriber;
    }

    record Received(String topic, MqttMessage message) {
    }

    static final class Subscriber implements MqttCallback {
        private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

        Received next() throws InterruptedException {
            Received received = messages.poll(10, TimeUnit.SECONDS);
            assertThat(received).as("message within 10 s").isNotNull();
            return received;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Received(topic, message));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
