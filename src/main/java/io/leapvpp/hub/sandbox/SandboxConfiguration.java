package io.leapvpp.hub.sandbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the Leap sandbox with the hub when {@code hub.sandbox.enabled=true} (demo mode, tests).
 * <p>
 * PRODUCTION MUST NEVER ENABLE THIS: the sandbox impersonates Leap, accepts a fixed API key and exposes an
 * unauthenticated control API.
 * <p>
 * The sandbox starts in the bean's init method, i.e. while the hub's context is being refreshed and therefore before
 * any Camel route is started, and stops when the hub's context closes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "hub.sandbox", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(SandboxProperties.class)
public class SandboxConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    public LeapSandbox leapSandbox(SandboxProperties properties) {
        return new LeapSandbox(properties.toSettings());
    }
}
