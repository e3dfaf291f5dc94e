package io.leapvpp.hub.devices;

import javax.net.SocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain TCP sockets for paho, set up for many small packets:
 * <ul>
 *   <li>TCP_NODELAY: paho leaves Nagle's algorithm on, and small MQTT packets (a PUBLISH waiting for its PUBACK) then
 *       sit out the peer's delayed-ACK timer, about 40 ms each;</li>
 *   <li>a read buffer: paho reads a packet's header a byte at a time from the socket's stream, and with its read
 *       timeout set every byte cost a poll and a read system call (three of each per PUBACK); buffered, one read
 *       takes in every packet that has arrived.</li>
 * </ul>
 */
public final class MqttSocketFactory extends SocketFactory {

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new ReadBufferedSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new ReadBufferedSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new ReadBufferedSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new ReadBufferedSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(new ReadBufferedSocket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static final class ReadBufferedSocket extends Socket {

        private InputStream in;

        ReadBufferedSocket() {
        }

        ReadBufferedSocket(String host, int port) throws IOException {
            super(host, port);
        }

        ReadBufferedSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            super(host, port, localHost, localPort);
        }

        ReadBufferedSocket(InetAddress host, int port) throws IOException {
            super(host, port);
        }

        ReadBufferedSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            super(address, port, localAddress, localPort);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), 16 * 1024);
            }
            return in;
        }
    }
}
