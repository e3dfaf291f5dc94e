package io.leapvpp.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Only this package's configuration, no hub context: which beans exist, and that they start and stop. */
class DemoServersConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withUserConfiguration(DemoServersConfiguration.class, DemoMailController.class);

    @TempDir
    Path dataDir;

    @Test
    void nothingStartsUnlessEnabledAndDefaultsAreTheDemoOnes() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(EmbeddedMqttBroker.class)
                    .doesNotHaveBean(EmbeddedSftpServer.class)
                    .doesNotHaveBean(EmbeddedSmtpServer.class)
                    .doesNotHaveBean(DemoMailbox.class)
                    .doesNotHaveBean(DemoMailController.class);
            DemoServersProperties properties = context.getBean(DemoServersProperties.class);
            assertThat(properties.getDataDir()).isEqualTo(Path.of("./data"));
            assertThat(properties.getMqtt().getBindAddress()).isEqualTo("127.0.0.1");
            assertThat(properties.getMqtt().getPort()).isEqualTo(11883);
            assertThat(properties.getSftp().getPort()).isEqualTo(2222);
            assertThat(properties.getSftp().getUsername()).isEqualTo("hub");
            assertThat(properties.getSftp().getPassword()).isEqualTo("demo-sftp-password");
            assertThat(properties.getSmtp().getPort()).isEqualTo(3025);
        });
    }

    @Test
    void enabledServersListenOnRandomPortsPublishThemAndStopWithTheContext() {
        AtomicReference<EmbeddedMqttBroker> mqtt = new AtomicReference<>();
        AtomicReference<EmbeddedSftpServer> sftp = new AtomicReference<>();
        AtomicReference<EmbeddedSmtpServer> smtp = new AtomicReference<>();
        runner.withPropertyValues(
                "hub.demo.data-dir=" + dataDir,
                "hub.demo.mqtt.enabled=true", "hub.demo.mqtt.port=0",
                "hub.demo.sftp.enabled=true", "hub.demo.sftp.port=0", "hub.demo.sftp.password=s3cret",
                "hub.demo.smtp.enabled=true", "hub.demo.smtp.port=0")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DemoMailController.class);
                    mqtt.set(context.getBean(EmbeddedMqttBroker.class));
                    sftp.set(context.getBean(EmbeddedSftpServer.class));
                    smtp.set(context.getBean(EmbeddedSmtpServer.class));
                    assertThat(mqtt.get().isRunning()).isTrue();
                    assertThat(sftp.get().isRunning()).isTrue();
                    assertThat(smtp.get().isRunning()).isTrue();

                    var env = context.getEnvironment();
                    assertThat(env.getProperty("local.hub.demo.mqtt.port", Integer.class)).isEqualTo(mqtt.get().getPort()).isPositive();
                    assertThat(env.getProperty("local.hub.demo.sftp.port", Integer.class)).isEqualTo(sftp.get().getPort()).isPositive();
                    assertThat(env.getProperty("local.hub.demo.smtp.port", Integer.class)).isEqualTo(smtp.get().getPort()).isPositive();

                    assertThat(dataDir.resolve("mqtt/conf/config.xml")).content().contains("<port>" + mqtt.get().getPort() + "</port>");
                    assertThat(dataDir.resolve("sftp/root")).isDirectory();
                    assertThat(dataDir.resolve("sftp/host-key.pem")).isRegularFile();
                    assertThat(dataDir.resolve("sftp/known_hosts")).content().startsWith("[127.0.0.1]:" + sftp.get().getPort() + " ");
                    assertThat(context.getBean(DemoMailbox.class).getDirectory()).isEqualTo(dataDir.resolve("mail"));
                });
        assertThat(mqtt.get().isRunning()).isFalse();
        assertThat(sftp.get().isRunning()).isFalse();
        assertThat(smtp.get().isRunning()).isFalse();
    }
}
