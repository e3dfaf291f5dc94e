package io.leapvpp.hub.sandbox.web;

import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.core.SandboxState;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The sandbox's embedded Tomcat, its DispatcherServlet and the Leap request filter. Like
 * {@link SandboxWebMvcConfiguration} it is not annotated {@code @Configuration}, so the hub's component scan ignores it.
 */
public class SandboxServerConfiguration {

    @Bean
    public TomcatServletWebServerFactory sandboxTomcat(SandboxSettings settings) throws UnknownHostException {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(settings.port());
        factory.setAddress(InetAddress.getByName(settings.bindAddress()));
        factory.setDisplayName("leap-sandbox");
        factory.setRegisterDefaultServlet(false);
        factory.addContextCustomizers(context -> {
            // Tomcat's own error pages (e.g. for a malformed URL) must not show a report or server details
            ErrorReportValve valve = new ErrorReportValve();
            valve.setShowReport(false);
            valve.setShowServerInfo(false);
            context.getParent().getPipeline().addValve(valve);
        });
        return factory;
    }

    @Bean
    public ServletRegistrationBean<DispatcherServlet> sandboxDispatcherServlet(ApplicationContext context) {
        // handing over the context stops the servlet from creating its own (XML-based) child context
        DispatcherServlet servlet = new DispatcherServlet((WebApplicationContext) context);
        servlet.setThrowExceptionIfNoHandlerFound(true);
        ServletRegistrationBean<DispatcherServlet> registration = new ServletRegistrationBean<>(servlet, "/");
        registration.setName("leapSandbox");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<LeapRequestFilter> leapRequestFilter(SandboxSettings settings, SandboxState state) {
        FilterRegistrationBean<LeapRequestFilter> registration =
                new FilterRegistrationBean<>(new LeapRequestFilter(settings, state.requests(), state.faults()));
        registration.addUrlPatterns("/*");
        return registration;
    }
}
