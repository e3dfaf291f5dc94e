package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.leapvpp.hub.onboarding.ConnectTestSupport.mailsContaining;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.postLink;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The newer connect.leap.energy link format, chosen by configuration (GUIDE §3.1). */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.onboarding.connect.url-format=connect",
        "hub.onboarding.connect.transmission-region=NYISO",
        "hub.onboarding.connect.variant=COMMERCIAL_AGREEMENTS_ONLY",
        "hub.onboarding.connect.program=PSE-RPO"})
class ConnectLinkConnectFormatTest extends HubSpringTest {

    @LocalServerPort
    int port;

    @Test
    void theLinkUsesTheConnectFormatAndIsMailed() throws Exception {
        String ref = ref("site ny");
        ConnectTestSupport.Reply r = postLink(port, Map.of("partner_reference", ref, "customer_email", "ny@customer.example"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String url = "https://connect.leap.energy?transmissionRegion=NYISO&account=test-partner&variant=COMMERCIAL_AGREEMENTS_ONLY"
                + "&program=PSE-RPO&refId=" + ref.replace(" ", "%20");
        assertThat(r.json().path("url").asText()).isEqualTo(url);
        assertThat(r.json().path("url_format").asText()).isEqualTo("connect");
        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(url).isEmpty());
        assertThat(mailsContaining(url).get(0).to()).containsExactly("ny@customer.example");
    }

    @Test
    void requestedUtilitiesAreRefusedBecauseTheFormatHasNone() throws Exception {
        ConnectTestSupport.Reply r = postLink(port, Map.of("partner_reference", ref("site-ny"), "requested_utilities", List.of("CECONY")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("detail").asText()).startsWith("requested_utilities: the connect.leap.energy link format");
    }
}
