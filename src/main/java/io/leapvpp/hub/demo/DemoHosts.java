package io.leapvpp.hub.demo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host names that clients of the demo servers should use. */
final class DemoHosts {

    private DemoHosts() {
    }

    /** The bind address itself, or 127.0.0.1 when the server listens on all interfaces. */
    static String clientHost(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isAnyLocalAddress() ? "127.0.0.1" : bindAddress;
        } catch (UnknownHostException e) {
            return bindAddress;
        }
    }
}
