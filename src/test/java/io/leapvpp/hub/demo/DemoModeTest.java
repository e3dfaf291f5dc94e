package io.leapvpp.hub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import io.leapvpp.hub.HubApplication;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `mvn spring-boot:run` without settings: the demo profile boots the hub with real servers in the
 * same process, and each answers over its own protocol. Ports are moved off the defaults here so
 * the test does not collide with a demo running on the same machine; data goes to a temp folder.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoModeTest {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    record Ports(int hub, int postgres, int mqtt, int sftp, int smtp, int sandbox) {
        static Ports free() throws IOException {
            return new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
        }
    }

    private ConfigurableApplicationContext startDemo(Ports ports) {
        // no profile given: the demo profile is the default
        return new SpringApplicationBuilder(HubApplication.class).run(
                "--hub.demo.data-dir=" + dataDir,
                "--server.port=" + ports.hub,
                "--hub.demo.postgres.port=" + ports.postgres,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + ports.postgres + "/postgres",
                "--hub.demo.mqtt.port=" + ports.mqtt,
                "--hub.mqtt.broker-url=tcp://127.0.0.1:" + ports.mqtt,
                "--hub.demo.sftp.port=" + ports.sftp,
                "--hub.sftp.port=" + ports.sftp,
                "--hub.demo.smtp.port=" + ports.smtp,
                "--hub.mail.port=" + ports.smtp,
                "--hub.sandbox.port=" + ports.sandbox,
                "--hub.leap.base-url=http://127.0.0.1:" + ports.sandbox,
                "--hub.routes.reload=false");
    }

    @Test
    void demoBootsAndEveryEmbeddedServerAnswersOverItsOwnProtocol(CapturedOutput output) throws Exception {
        Ports ports = Ports.free();
        long started = System.nanoTime();
        try (ConfigurableApplicationContext hub = startDemo(ports)) {
            System.out.printf("Demo startup took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(hub.getEnvironment().getActiveProfiles()).isEmpty();
            assertThat(hub.getEnvironment().getDefaultProfiles()).containsExactly("demo");
            // every route file in routes/ is loaded and its routes are running
            org.apache.camel.CamelContext camel = hub.getBean(org.apache.camel.CamelContext.class);
            assertThat(camel.getRoutes()).hasSizeGreaterThanOrEqualTo(10);
            assertThat(camel.getRoutes()).allSatisfy(route ->
                    assertThat(camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()).as(route.getRouteId()).isTrue());

            // the hub's own HTTP server
            // the CSV inbox consumers (folder, SFTP) count as ready once they polled for the first time
            await().atMost(Duration.ofSeconds(30)).until(() -> get("http://127.0.0.1:" + ports.hub + "/actuator/health/readiness").statusCode() == 200);
            HttpResponse<String> readiness = get("http://127.0.0.1:" + ports.hub + "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(json.readTree(readiness.body()).path("status").asText()).isEqualTo("UP");

            // PostgreSQL: the hub's schema is there
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.postgres + "/postgres", "postgres", "");
                 ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(2);
            }

            // the Leap sandbox, with the demo's API key
            HttpResponse<String> meters = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.sandbox + "/v2/meters/search"))
                    .header("Authorization", "Bearer demo-leap-api-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"page_size\": 500}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(meters.statusCode()).isEqualTo(200);
            assertThat(json.readTree(meters.body()).path("meters")).hasSize(50);

            assertMqtt5RoundTrip(ports.mqtt);
            assertSftpUploadWithStrictHostKey(ports.sftp);
            assertSmtpMailShowsOnTheMailPage(ports.smtp, ports.hub);

            assertThat(output.getOut()).contains("leap-vpp-hub is ready (profile: demo)")
                    .contains("tcp://127.0.0.1:" + ports.mqtt)
                    .contains("sftp://127.0.0.1:" + ports.sftp)
                    .contains("/api/onboarding/connect-links", "/api/dispatch/events", "/api/meters");
        }
    }

    @Test
    void aRestartKeepsTheDatabaseAndTheSftpHostKey() throws Exception {
        Ports ports = Ports.free();
        String hostKey;
        try (ConfigurableApplicationContext hub = startDemo(ports)) {
            hub.getBean(org.springframework.jdbc.core.JdbcTemplate.class).update(
                    "INSERT INTO hub_rejected_input (source, reason, detail) VALUES ('demo-test', 'restart-probe', 'kept?')");
            hostKey = Files.readString(dataDir.resolve("sftp/known_hosts")).split(" ", 2)[1];
        }
        try (ConfigurableApplicationContext hub = startDemo(ports)) {
            Integer kept = hub.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                    "SELECT count(*) FROM hub_rejected_input WHERE reason = 'restart-probe'", Integer.class);
            assertThat(kept).isEqualTo(1);
            assertThat(Files.readString(dataDir.resolve("sftp/known_hosts")).split(" ", 2)[1]).isEqualTo(hostKey);
        }
    }

    private void assertMqtt5RoundTrip(int port) throws MqttException, InterruptedException {
        BlockingQueue<MqttMessage> received = new ArrayBlockingQueue<>(1);
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "demo-test-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            public void messageArrived(String topic, MqttMessage message) {
                received.offer(message);
            }

            public void disconnected(MqttDisconnectResponse response) {
            }

            public void mqttErrorOccurred(MqttException exception) {
            }

            public void deliveryComplete(IMqttToken token) {
            }

            public void connectComplete(boolean reconnect, String serverURI) {
            }

            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.connect();
        try {
            client.subscribe("vpp/demo-test/commands", 1);
            MqttMessage message = new MqttMessage("{\"ping\":1}".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval(60L);
            message.setProperties(properties);
            client.publish("vpp/demo-test/commands", message);
            MqttMessage back = received.poll(10, TimeUnit.SECONDS);
            assertThat(back).isNotNull();
            assertThat(new String(back.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"ping\":1}");
            assertThat(back.getProperties().getMessageExpiryInterval()).isNotNull();
        } finally {
            client.disconnect();
            client.close();
        }
    }

    private void assertSftpUploadWithStrictHostKey(int port) throws Exception {
        JSch jsch = new JSch();
        jsch.setKnownHosts(dataDir.resolve("sftp/known_hosts").toString());
        Session session = jsch.getSession("hub", "127.0.0.1", port);
        session.setPassword("demo-sftp-password");
        session.setConfig("StrictHostKeyChecking", "yes");
        session.connect(10_000);
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            sftp.put(new ByteArrayInputStream("meter_id,kwh\n".getBytes(StandardCharsets.UTF_8)), "demo-test.csv");
            assertThat(sftp.ls(".").stream().map(e -> e.getFilename())).contains("demo-test.csv");
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
    }

    private void assertSmtpMailShowsOnTheMailPage(int smtpPort, int hubPort) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        jakarta.mail.Session mailSession = jakarta.mail.Session.getInstance(props);
        MimeMessage mail = new MimeMessage(mailSession);
        mail.setFrom(new InternetAddress("hub@localhost"));
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress("ops@localhost"));
        mail.setSubject("Demo mode test mail");
        mail.setText("hello operations");
        Transport.send(mail);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode list = json.readTree(get("http://127.0.0.1:" + hubPort + "/demo/mail.json").body());
            assertThat(list.findValuesAsText("subject")).contains("Demo mode test mail");
        });
        assertThat(get("http://127.0.0.1:" + hubPort + "/demo/mail").body()).contains("Demo mode test mail");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
