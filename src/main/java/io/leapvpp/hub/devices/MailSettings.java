package io.leapvpp.hub.devices;

import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMTP credentials for camel-mail only when configured (a blank username means no SMTP AUTH). */
@Configuration(proxyBeanMethods = false)
public class MailSettings {

    @Bean
    ComponentCustomizer hubMailCredentials(@Value("${hub.mail.username:}") String username,
                                           @Value("${hub.mail.password:}") String password) {
        return ComponentCustomizer.builder(MailComponent.class).build(component -> {
            if (username != null && !username.isBlank()) {
                component.getConfiguration().setUsername(username);
                component.getConfiguration().setPassword(password);
            }
        });
    }
}
