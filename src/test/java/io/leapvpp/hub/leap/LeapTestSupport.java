package io.leapvpp.hub.leap;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** Shared fixtures: a WireMock "Leap", a recording sleeper and a client with deterministic jitter. */
final class LeapTestSupport {

    static final String API_KEY = "kid-4711:s3cr3t-Leap-Key-do-not-log";

    private LeapTestSupport() {
    }

    static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .containerThreads(8).jettyAcceptors(1));
        server.start();
        return server;
    }

    /** Records requested delays instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
        }
    }

    static LeapProperties props(String baseUrl) {
        return LeapProperties.of(baseUrl, API_KEY)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** Client with default retry settings, no real sleeping, and jitter factor exactly 1.0. */
    static LeapClient client(LeapProperties props, Sleeper sleeper) {
        return new LeapClient(props, new ObjectMapper(), null, sleeper, () -> 0.5, null);
    }
}
