package io.leapvpp.hub.sandbox.web;

import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.state.Json;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.DelegatingWebMvcConfiguration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sandbox's own Spring MVC setup: what {@code @EnableWebMvc} imports ({@link DelegatingWebMvcConfiguration}),
 * extended so that handlers are the {@link SandboxController} classes. The server side (Tomcat, servlet, filter) is
 * in {@link SandboxServerConfiguration}: the MVC beans need the ServletContext, which exists only after Tomcat is up.
 * <p>
 * Intentionally not annotated {@code @Configuration}: it is registered explicitly by
 * {@code LeapSandbox} into an isolated context, and must never be found by the hub's component scan (a second MVC
 * configuration in the hub's context would switch off Spring Boot's MVC auto-configuration).
 */
public class SandboxWebMvcConfiguration extends DelegatingWebMvcConfiguration {

    @Override
    protected RequestMappingHandlerMapping createRequestMappingHandlerMapping() {
        return new RequestMappingHandlerMapping() {
            @Override
            protected boolean isHandler(Class<?> beanType) {
                return AnnotatedElementUtils.hasAnnotation(beanType, SandboxController.class);
            }
        };
    }

    @Override
    protected void configureMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.add(new StringHttpMessageConverter(StandardCharsets.UTF_8));
        converters.add(new MappingJackson2HttpMessageConverter(Json.MAPPER));
    }

    @Override
    protected void configureHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        resolvers.add(new SandboxExceptionResolver());
    }
}
