package io.leapvpp.hub.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;

import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTP server for demo mode: Apache MINA SSHD with the SFTP subsystem only (no shell, exec or
 * forwarding), one user with a password, and every session jailed in {@code root/}.
 *
 * <p>Layout under the given directory:
 * <ul>
 *   <li>{@code root/}: what SFTP clients see as {@code /};</li>
 *   <li>{@code host-key.pem}: the host key pair (EC P-256, OpenSSH private key format), generated once
 *       and reused, so a restart on the same folder keeps the host key and clients' known_hosts stay
 *       valid;</li>
 *   <li>{@code known_hosts}: one line {@code [host]:port <algorithm> <base64>} for the bound port,
 *       rewritten at every start, so a client can use {@code strictHostKeyChecking=yes}.</li>
 * </ul>
 */
public class EmbeddedSftpServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSftpServer.class);

    private final String bindAddress;
    private final int configuredPort;
    private final Path directory;
    private final String username;
    private final byte[] password;

    private SshServer sshd;

    /** @param port 0 binds a free port; {@link #getPort()} tells which */
    public EmbeddedSftpServer(String bindAddress, int port, Path directory, String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The demo SFTP server needs a username and a password");
        }
        this.bindAddress = bindAddress;
        this.configuredPort = port;
        this.directory = directory;
        this.username = username;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    public synchronized void start() {
        if (sshd != null) {
            return;
        }
        SshServer server = SshServer.setUpDefaultServer();
        try {
            Files.createDirectories(getRootDirectory());
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(getHostKeyFile());
            hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
            hostKeys.setKeySize(256); // ecdsa-sha2-nistp256: what every SSH client accepts (MINA's default is P-521)
            PublicKey hostKey = firstKey(hostKeys).getPublic(); // generates and saves the key on first use

            server.setHost(bindAddress);
            server.setPort(configuredPort);
            server.setKeyPairProvider(hostKeys);
            server.setPasswordAuthenticator((user, pass, session) -> username.equals(user)
                    && MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8)));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(new VirtualFileSystemFactory(getRootDirectory().toAbsolutePath()));
            server.start();
            sshd = server;
            writeKnownHosts(hostKey);
        } catch (IOException e) {
            sshd = null;
            try {
                server.stop(true);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("Demo SFTP server did not start on " + bindAddress + ":" + configuredPort, e);
        }
        log.info("Demo SFTP server listening on {}:{} (user '{}', root {}, known_hosts {})",
                bindAddress, getPort(), username, getRootDirectory(), getKnownHostsFile());
    }

    public synchronized void stop() {
        if (sshd == null) {
            return;
        }
        try {
            sshd.stop(true);
            log.info("Demo SFTP server stopped");
        } catch (IOException e) {
            log.warn("Demo SFTP server did not stop cleanly", e);
        } finally {
            sshd = null;
        }
    }

    public synchronized boolean isRunning() {
        return sshd != null && sshd.isStarted();
    }

    /** The bound port; -1 while stopped. */
    public synchronized int getPort() {
        return sshd == null ? -1 : sshd.getPort();
    }

    /** The host name the known_hosts line is written for (what clients should connect to). */
    public String getHost() {
        return DemoHosts.clientHost(bindAddress);
    }

    public Path getRootDirectory() {
        return directory.resolve("root");
    }

    public Path getHostKeyFile() {
        return directory.resolve("host-key.pem");
    }

    public Path getKnownHostsFile() {
        return directory.resolve("known_hosts");
    }

    private static KeyPair firstKey(SimpleGeneratorHostKeyProvider hostKeys) throws IOException {
        Iterator<KeyPair> keys = hostKeys.loadKeys(null).iterator();
        if (!keys.hasNext()) {
            throw new IOException("No host key in " + hostKeys.getPath());
        }
        return keys.next();
    }

    private void writeKnownHosts(PublicKey hostKey) throws IOException {
        String line = KnownHostHashValue.createHostPattern(getHost(), getPort()) + " "
                + PublicKeyEntry.toString(hostKey) + System.lineSeparator();
        Path tmp = Files.createTempFile(directory, "known_hosts", ".tmp");
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        Files.move(tmp, getKnownHostsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
