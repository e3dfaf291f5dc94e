package io.leapvpp.hub.operations;

import org.apache.camel.component.servlet.ServletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How HTTP routes are reached: route prefixes, the hub's own servlet, path variables. */
class HttpRoutesServletTest {

    /** A Camel with the servlet component, prepared by the hub's servlet configuration as at startup. */
    private static DefaultCamelContext camelWith(HttpRoutesServlet servlet) {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent("servlet", new ServletComponent());
        servlet.beforeApplicationStart(camel);
        return camel;
    }

    @Test
    void aRoutePathOutsideThePrefixesOrOnAnotherServletStopsTheHub() throws Exception {
        HttpRoutesServlet servlet = new HttpRoutesServlet(List.of("/leap", "/api/"));
        try (DefaultCamelContext camel = camelWith(servlet)) {
            camel.getEndpoint("servlet:/api/meters/{meter_id}");
            camel.getEndpoint("servlet:/leap/webhooks/events");
            servlet.verifyEveryHttpRouteIsReachable(camel); // all reachable: no complaint

            camel.getEndpoint("servlet:/partner/orders");
            camel.getEndpoint("servlet:/apiary");
            camel.getEndpoint("servlet:/api/other?servletName=SomeoneElse");
            assertThatThrownBy(() -> servlet.verifyEveryHttpRouteIsReachable(camel))
                    .isInstanceOf(HubConfigurationException.class)
                    .satisfies(e -> assertThat(((HubConfigurationException) e).problems())
                            .hasSize(3)
                            .anySatisfy(p -> assertThat(p).startsWith("HTTP route path /partner/orders would never be reached"))
                            .anySatisfy(p -> assertThat(p).startsWith("HTTP route path /apiary "))
                            .anySatisfy(p -> assertThat(p).startsWith("HTTP route path /api/other ")));
        }
    }

    @Test
    void theCheckRunsWhenCamelHasStartedItsRoutes() throws Exception {
        HttpRoutesServlet servlet = new HttpRoutesServlet(List.of("/leap", "/api"));
        try (DefaultCamelContext camel = camelWith(servlet)) {
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("servlet:/partner/orders").id("outside-the-prefixes").log("never reached");
                }
            });
            assertThatThrownBy(camel::start).satisfies(e -> {
                Throwable t = e;
                while (t != null && !(t instanceof HubConfigurationException)) {
                    t = t.getCause();
                }
                assertThat(t).as("a HubConfigurationException in the causes of %s", e).isNotNull();
                assertThat(((HubConfigurationException) t).problems()).singleElement().asString().contains("/partner/orders");
            });
        }
    }

    @Test
    void prefixesMustBePlainPaths() {
        for (List<String> bad : List.of(List.<String>of(), List.of("api"), List.of("/api/*"), List.of("/"))) {
            assertThatThrownBy(() -> new HttpRoutesServlet(bad)).as("%s", bad).isInstanceOf(HubConfigurationException.class);
        }
    }

    @Test
    void pathVariablesAreTakenSegmentBySegmentAndStayEncoded() {
        assertThat(InboundHttp.pathVariables("/api/meters/{meter_id}", "/api/meters/6f1c"))
                .isEqualTo(Map.of("meter_id", "6f1c"));
        assertThat(InboundHttp.pathVariables("/api/onboarding/connect-sessions/{partner_reference}",
                "/api/onboarding/connect-sessions/site%2F7%20b")).isEqualTo(Map.of("partner_reference", "site%2F7%20b"));
        assertThat(InboundHttp.pathVariables("/api/meters/{meter_id}", "/api/meters/a/b")).isEmpty();
        assertThat(InboundHttp.pathVariables("/api/meters/{meter_id}", "/api/other/a")).isEmpty();
        assertThat(InboundHttp.pathVariables("/api/meters", "/api/meters")).isEmpty();
    }
}
