package io.leapvpp.hub.operations;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start a hub whose configuration is unsafe, before anything connects anywhere:
 * <ul>
 *   <li>every property listed in {@code hub.security.required-secrets} (property → environment
 *   variable; the production profile lists them) must be set; the message names each missing one
 *   and its variable, never a value;</li>
 *   <li>with {@code hub.security.forbid-embedded=true} (production) no embedded demo server and
 *   not the Leap sandbox may be switched on, whatever the environment says.</li>
 * </ul>
 */
public class StartupGuard implements EnvironmentPostProcessor, Ordered {

    static final List<String> EMBEDDED_SWITCHES = List.of(
            "hub.sandbox.enabled",
            "hub.demo.postgres.enabled",
            "hub.demo.mqtt.enabled",
            "hub.demo.sftp.enabled",
            "hub.demo.smtp.enabled");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        List<String> problems = new ArrayList<>();

        Map<String, String> requiredSecrets = binder
                .bind("hub.security.required-secrets", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        requiredSecrets.forEach((property, variable) -> {
            String value = environment.getProperty(property);
            if (value == null || value.isBlank()) {
                problems.add("missing required secret " + property + " (set environment variable " + variable + ")");
            }
        });

        if (environment.getProperty("hub.security.forbid-embedded", Boolean.class, false)) {
            for (String toggle : EMBEDDED_SWITCHES) {
                if (environment.getProperty(toggle, Boolean.class, false)) {
                    problems.add(toggle + "=true is not allowed in this profile (embedded demo servers and the Leap sandbox never run in production)");
                }
            }
        }

        if (!problems.isEmpty()) {
            problems.sort(String::compareTo);
            throw new HubConfigurationException(problems,
                    "Set the missing values (see README.md, Configuration reference) or start without the production profile.");
        }
    }

    @Override
    public int getOrder() {
        // after Spring Boot has loaded config/application*.yaml and resolved the profiles
        return Ordered.LOWEST_PRECEDENCE;
    }
}
