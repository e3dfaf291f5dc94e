package io.leapvpp.hub.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 broker for demo mode: HiveMQ Community Edition embedded, one plain TCP listener.
 *
 * <p>Layout under the given directory: {@code conf/config.xml} (rewritten at every start from the
 * constructor arguments), {@code data/} (HiveMQ's file persistence: retained messages, sessions and
 * queued messages survive a restart) and {@code extensions/} (empty).
 *
 * <p>Authentication: embedded HiveMQ allows every client when no security extension is installed
 * (it logs "Setting default authentication behavior to ALLOW ALL"), so demo clients connect
 * anonymously. Production uses an external broker that requires a username and password
 * ({@code hub.mqtt.username} / {@code hub.mqtt.password}).
 *
 * <p>All other MQTT settings are HiveMQ's defaults, deliberately not written into config.xml:
 * <ul>
 *   <li>receive maximum (server-receive-maximum) 10: a client may have at most 10 unacknowledged
 *       QoS 1/2 PUBLISHes in flight towards the broker; paho v5 reads it from CONNACK and waits;</li>
 *   <li>in-flight towards a client: the client's own Receive Maximum (paho default 65535), capped by
 *       HiveMQ's internal in-flight window of 50 messages per client;</li>
 *   <li>queued messages 1000 per client, strategy discard (newest dropped when full);</li>
 *   <li>max QoS 2, retained/wildcard/shared subscriptions on, topic aliases 5 per client,
 *       message and session expiry unlimited, max packet size 268435460 bytes.</li>
 * </ul>
 */
public class EmbeddedMqttBroker {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final String bindAddress;
    private final int configuredPort;
    private final Path directory;

    private EmbeddedHiveMQ hivemq;
    private int port = -1;

    /**
     * @param port 0 picks a free port at each start (HiveMQ does not report the port it bound, so the
     *             port is chosen just before HiveMQ binds it)
     */
    public EmbeddedMqttBroker(String bindAddress, int port, Path directory) {
        this.bindAddress = bindAddress;
        this.configuredPort = port;
        this.directory = directory;
    }

    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        int listenPort = configuredPort != 0 ? configuredPort : freePort(bindAddress);
        Path conf = directory.resolve("conf");
        Path data = directory.resolve("data");
        Path extensions = directory.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(bindAddress, listenPort), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the demo MQTT broker folder " + directory, e);
        }
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        try {
            broker.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(broker);
            throw new IllegalStateException("Interrupted while starting the demo MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(broker);
            throw new IllegalStateException(
                    "Demo MQTT broker did not start on " + bindAddress + ":" + listenPort, e);
        }
        hivemq = broker;
        port = listenPort;
        log.info("Demo MQTT 5 broker (HiveMQ CE, anonymous access) listening on {}", getBrokerUrl());
    }

    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ broker = hivemq;
        hivemq = null;
        port = -1;
        try {
            broker.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Demo MQTT broker did not stop cleanly", e);
        } finally {
            closeQuietly(broker);
        }
        log.info("Demo MQTT broker stopped");
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    /** The bound port; -1 while stopped. */
    public synchronized int getPort() {
        return port;
    }

    /** {@code tcp://host:port} for clients, e.g. paho's brokerUrl; loopback when bound to all interfaces. */
    public synchronized String getBrokerUrl() {
        return "tcp://" + DemoHosts.clientHost(bindAddress) + ":" + port;
    }

    static String configXml(String bindAddress, int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by leap-vpp-hub at every start of the demo broker (hub.demo.mqtt.*); edits are lost. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>demo-tcp</name>
                        </tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, xmlEscape(bindAddress));
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static int freePort(String bindAddress) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + bindAddress, e);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ broker) {
        try {
            broker.close();
        } catch (Exception e) {
            log.debug("Closing HiveMQ failed", e);
        }
    }
}
