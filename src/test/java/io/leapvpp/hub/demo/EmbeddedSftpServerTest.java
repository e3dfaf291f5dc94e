package io.leapvpp.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Vector;

import com.jcraft.jsch.ChannelSftp;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MINA SSHD on a random loopback port; the client is JSch (com.github.mwiede), the library
 * camel-ftp 4.17 uses for sftp:, with strictHostKeyChecking=yes against the generated known_hosts; and
 * once Camel's own sftp: producer, configured as the hub configures it.
 */
class EmbeddedSftpServerTest {

    private static final String USER = "hub";
    private static final String PASSWORD = "demo-sftp-password";

    @TempDir
    Path dataDir;

    private EmbeddedSftpServer server;

    @BeforeEach
    void start() {
        server = newServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void uploadListAndDownloadWithStrictHostKeyChecking() throws Exception {
        String knownHosts = Files.readString(server.getKnownHostsFile());
        assertThat(knownHosts).matches("\\[127\\.0\\.0\\.1]:" + server.getPort() + " ecdsa-sha2-nistp256 [A-Za-z0-9+/=]+\\R");

        Session session = session(PASSWORD, server.getKnownHostsFile());
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(5_000);
            sftp.mkdir("inbox");
            byte[] content = "meter,kwh\nm-1,12.5\n".getBytes(StandardCharsets.UTF_8);
            sftp.put(new ByteArrayInputStream(content), "inbox/readings.csv");

            @SuppressWarnings("unchecked")
            Vector<ChannelSftp.LsEntry> entries = sftp.ls("inbox");
            assertThat(entries).extracting(ChannelSftp.LsEntry::getFilename).contains("readings.csv");

            ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
            sftp.get("/inbox/readings.csv", downloaded);
            assertThat(downloaded.toByteArray()).isEqualTo(content);
            // the client's "/" is the server's root folder, nothing outside it is reachable
            assertThat(server.getRootDirectory().resolve("inbox/readings.csv")).hasBinaryContent(content);
            sftp.cd("/..");
            assertThat(sftp.pwd()).isEqualTo("/");
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
    }

    @Test
    void camelSftpProducerUploadsWithStrictHostKeyChecking() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            String uri = "sftp:127.0.0.1:" + server.getPort() + "/outbox"
                    + "?username=" + USER + "&password=" + PASSWORD
                    + "&strictHostKeyChecking=yes&useUserKnownHostsFile=false"
                    + "&knownHostsFile=" + server.getKnownHostsFile()
                    + "&autoCreate=true&tempFileName=${file:name}.part";
            camel.createProducerTemplate().sendBodyAndHeader(uri, "site,kw\ns1,3.2\n", Exchange.FILE_NAME, "setpoints.csv");
        }
        assertThat(server.getRootDirectory().resolve("outbox/setpoints.csv")).hasContent("site,kw\ns1,3.2\n");
        assertThat(server.getRootDirectory().resolve("outbox/setpoints.csv.part")).doesNotExist();
    }

    @Test
    void wrongPasswordIsRejected() {
        assertThatThrownBy(() -> session("not-the-password", server.getKnownHostsFile()))
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Auth fail");
    }

    @Test
    void strictClientRefusesAnotherHostKey() throws Exception {
        Path otherDir = dataDir.resolve("other");
        EmbeddedSftpServer other = new EmbeddedSftpServer("127.0.0.1", 0, otherDir, USER, PASSWORD);
        other.start();
        try {
            // known_hosts of the other server (same host name, different key), rewritten for our port
            String foreignLine = Files.readString(other.getKnownHostsFile())
                    .replace(":" + other.getPort() + " ", ":" + server.getPort() + " ");
            Path foreign = Files.writeString(dataDir.resolve("foreign_known_hosts"), foreignLine);
            assertThatThrownBy(() -> session(PASSWORD, foreign))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("HostKey has been changed");
        } finally {
            other.stop();
        }
    }

    @Test
    void restartOnTheSameFolderKeepsTheHostKey() throws Exception {
        byte[] keyFile = Files.readAllBytes(server.getHostKeyFile());
        String keyBefore = hostKeyPart(Files.readString(server.getKnownHostsFile()));

        server.stop();
        assertThat(server.isRunning()).isFalse();
        server = newServer();
        server.start();

        assertThat(Files.readAllBytes(server.getHostKeyFile())).isEqualTo(keyFile);
        assertThat(hostKeyPart(Files.readString(server.getKnownHostsFile()))).isEqualTo(keyBefore);
        session(PASSWORD, server.getKnownHostsFile()).disconnect(); // strict checking still passes
    }

    private EmbeddedSftpServer newServer() {
        return new EmbeddedSftpServer("127.0.0.1", 0, dataDir.resolve("sftp"), USER, PASSWORD);
    }

    private Session session(String password, Path knownHosts) throws JSchException {
        JSch jsch = new JSch();
        jsch.setKnownHosts(knownHosts.toString());
        Session session = jsch.getSession(USER, "127.0.0.1", server.getPort());
        session.setPassword(password);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "password");
        session.connect(5_000);
        return session;
    }

    private static String hostKeyPart(String knownHostsLine) {
        List<String> parts = List.of(knownHostsLine.trim().split(" "));
        return parts.get(1) + " " + parts.get(2);
    }
}
