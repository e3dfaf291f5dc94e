package io.leapvpp.hub.demo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the servers that demo mode starts inside the hub's own process (see
 * {@link DemoServersConfiguration}). Every server is off unless its {@code enabled} flag is true; the
 * demo profile switches them on, production never does. A port of 0 binds a free port; the bound port
 * is then published as {@code local.hub.demo.<server>.port}.
 */
@ConfigurationProperties("hub.demo")
public class DemoServersProperties {

    /** Folder for everything the demo servers keep: broker data, SFTP root and host key, captured mail. */
    private Path dataDir = Path.of("./data");

    private final Mqtt mqtt = new Mqtt();
    private final Sftp sftp = new Sftp();
    private final Smtp smtp = new Smtp();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Mqtt getMqtt() {
        return mqtt;
    }

    public Sftp getSftp() {
        return sftp;
    }

    public Smtp getSmtp() {
        return smtp;
    }

    /** Shared by the three servers: on/off, listen address and port. */
    public abstract static class Server {
        private boolean enabled;
        private String bindAddress = "127.0.0.1";
        private int port;

        Server(int defaultPort) {
            this.port = defaultPort;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBindAddress() {
            return bindAddress;
        }

        public void setBindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** MQTT 5 broker (HiveMQ CE embedded); data in {@code <data-dir>/mqtt}. */
    public static class Mqtt extends Server {
        public Mqtt() {
            super(11883);
        }
    }

    /** SFTP server (Apache MINA SSHD); files in {@code <data-dir>/sftp/root}. */
    public static class Sftp extends Server {
        private String username = "hub";
        private String password = "demo-sftp-password";

        public Sftp() {
            super(2222);
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** SMTP server (GreenMail) that accepts any mail; copies in {@code <data-dir>/mail}, page at /demo/mail. */
    public static class Smtp extends Server {
        public Smtp() {
            super(3025);
        }
    }
}
