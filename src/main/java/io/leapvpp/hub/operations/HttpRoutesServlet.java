package io.leapvpp.hub.operations;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.apache.camel.component.servlet.ServletComponent;
import org.apache.camel.component.servlet.ServletEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.UUID;

/**
 * The routes' HTTP endpoints ({@code from: servlet:/leap/webhooks/...}) are served by Camel's servlet, registered in
 * Tomcat under the hub's route prefixes ({@code hub.http.route-prefixes}: {@code /leap}, {@code /api}); a route runs on
 * Tomcat's request thread. Why not platform-http: docs/decisions/0013-http-routes-on-camel-servlet.md.
 *
 * <p>A route's URI carries the whole public path: the servlet resolves consumers on the path within the application,
 * not on the part after its own mapping, so {@code servlet:/api/meters/{meter_id}} answers
 * {@code GET /api/meters/…}. A route whose path lies outside every prefix would never be reached; the hub refuses to
 * start with it.
 */
@Configuration(proxyBeanMethods = false)
public class HttpRoutesServlet implements CamelContextConfiguration {

    private final List<String> prefixes;

    /**
     * Camel keeps its servlets in a JVM-wide registry by name, so two hubs in one JVM (test contexts) must not share
     * one; the servlet component hands its consumers to the servlet of this name.
     */
    private final String servletName = "CamelServlet-" + UUID.randomUUID();

    public HttpRoutesServlet(@Value("${hub.http.route-prefixes}") List<String> prefixes) {
        this.prefixes = prefixes.stream().map(String::trim).map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p).toList();
        if (this.prefixes.isEmpty() || this.prefixes.stream().anyMatch(p -> !p.startsWith("/") || p.length() < 2 || p.contains("*"))) {
            throw new HubConfigurationException(List.of("hub.http.route-prefixes must list paths like /leap,/api; got " + prefixes),
                    "Set HUB_HTTP_ROUTE_PREFIXES to the first segments of the routes' HTTP paths.");
        }
    }

    @Bean
    ServletRegistrationBean<CamelHttpTransportServlet> camelHttpServlet() {
        ServletRegistrationBean<CamelHttpTransportServlet> registration = new ServletRegistrationBean<>(
                new WholePathServlet(), prefixes.stream().map(p -> p + "/*").toArray(String[]::new));
        registration.setName(servletName);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // before any route's endpoint exists
        camel.getComponent("servlet", ServletComponent.class).setServletName(servletName);
        StartupChecks.onceFullyStarted(camel, "HTTP route paths check", this::verifyEveryHttpRouteIsReachable);
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // checked by the startup listener
    }

    void verifyEveryHttpRouteIsReachable(CamelContext camel) {
        List<ServletEndpoint> endpoints = camel.getEndpoints().stream()
                .filter(ServletEndpoint.class::isInstance).map(ServletEndpoint.class::cast).toList();
        List<String> unreachable = java.util.stream.Stream.concat(
                endpoints.stream().map(ServletEndpoint::getPath).filter(path -> !underPrefix(path)),
                endpoints.stream().filter(e -> !servletName.equals(e.getServletName())).map(ServletEndpoint::getPath))
                .distinct().sorted().toList();
        if (!unreachable.isEmpty()) {
            throw new HubConfigurationException(unreachable.stream()
                    .map(p -> "HTTP route path " + p + " would never be reached: it must lie under hub.http.route-prefixes " + prefixes
                            + " and use the hub's servlet (no servletName option)")
                    .toList(),
                    "Add the path's first segment to HUB_HTTP_ROUTE_PREFIXES, or move the route under one of them.");
        }
    }

    boolean underPrefix(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return prefixes.stream().anyMatch(prefix -> p.equals(prefix) || p.startsWith(prefix + "/"));
    }

    /** Camel's servlet, seeing every request's path within the application as its path info. */
    static final class WholePathServlet extends CamelHttpTransportServlet {

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            super.service(new WholePath(request), response);
        }
    }

    private static final class WholePath extends HttpServletRequestWrapper {

        private final String pathInfo;

        WholePath(HttpServletRequest request) {
            super(request);
            String info = request.getPathInfo();
            this.pathInfo = request.getServletPath() + (info == null ? "" : info);
        }

        @Override
        public String getServletPath() {
            return "";
        }

        @Override
        public String getPathInfo() {
            return pathInfo;
        }
    }
}
