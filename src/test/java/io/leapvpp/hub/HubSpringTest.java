package io.leapvpp.hub;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of tests that boot the whole hub (routes from routes/, config from config/) against real servers. */
@CamelSpringBootTest
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false) // Prometheus is part of what we test
public abstract class HubSpringTest {

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry registry) {
        HubTestEnvironment.register(registry);
    }
}
