package io.leapvpp.hub.leap;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the fault-injection tests: a WireMock stand-in for Leap per test class. */
abstract class WireMockLeapTest {

    static WireMockServer wm;

    @BeforeAll
    static void startWireMock() {
        wm = LeapTestSupport.startWireMock();
    }

    @AfterAll
    static void stopWireMock() {
        wm.stop();
    }
}
