package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.operations.HttpRejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** URL building, encoding and the configuration checks, without a hub. */
class ConnectUrlsTest {

    static ConnectProperties properties(String format, String organization, String flow, String region, String program) {
        return new ConnectProperties(format, organization, flow, null, null, region, "COMMERCIAL", program, null, null, null, null, null);
    }

    @Test
    void theOnboardingFormatEncodesEveryPart() {
        ConnectUrls urls = new ConnectUrls(properties("onboarding", "Electric Spaceships", "ca-utilities", null, null));
        assertThat(urls.build("123", List.of())).isEqualTo("https://onboarding.leap.energy/Electric%20Spaceships/ca-utilities/?refId=123");
        assertThat(urls.build("site 7+ä=x&y", List.of("PGE", "SCE")))
                .isEqualTo("https://onboarding.leap.energy/Electric%20Spaceships/ca-utilities/?requestedUtilities=PGE,SCE&refId=site%207%2B%C3%A4%3Dx%26y");
    }

    @Test
    void theConnectFormatHasRegionAccountVariantAndOptionalProgram() {
        assertThat(new ConnectUrls(properties("connect", "acme", null, "CAISO", null)).build("r-1", List.of()))
                .isEqualTo("https://connect.leap.energy?transmissionRegion=CAISO&account=acme&variant=COMMERCIAL&refId=r-1");
        assertThat(new ConnectUrls(properties("CONNECT", "acme", null, "PJM", "SRP-RPO")).build("r-1", List.of()))
                .isEqualTo("https://connect.leap.energy?transmissionRegion=PJM&account=acme&variant=COMMERCIAL&program=SRP-RPO&refId=r-1");
    }

    @Test
    void missingSettingsAnswer503NamingThem() {
        HttpRejection r = catchThrowableOfType(HttpRejection.class,
                () -> new ConnectUrls(properties("onboarding", null, null, null, null)).build("r-1", List.of()));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.detail()).contains("HUB_CONNECT_ORGANIZATION").contains("HUB_CONNECT_FLOW");
        HttpRejection c = catchThrowableOfType(HttpRejection.class,
                () -> new ConnectUrls(properties("connect", "acme", null, null, null)).build("r-1", List.of()));
        assertThat(c.detail()).contains("HUB_CONNECT_TRANSMISSION_REGION").doesNotContain("FLOW");
    }

    @Test
    void wrongSettingsStopTheStart() {
        assertThatThrownBy(() -> properties("email", "acme", "f", null, null)).hasMessageContaining("url-format must be onboarding or connect");
        assertThatThrownBy(() -> properties("connect", "acme", null, "TEXAS", null)).hasMessageContaining("transmission-region");
        assertThatThrownBy(() -> properties("connect", "acme", null, "CAISO", "DSGS")).hasMessageContaining("program");
        assertThatThrownBy(() -> new ConnectProperties.Reminders(true, List.of(Duration.ofDays(1), Duration.ofMinutes(30)), null))
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new ConnectProperties(null, "a", "f", null, null, null, null, null, null, null,
                new ConnectProperties.DropOff(Duration.ofHours(1), true, null), null, null))
                .hasMessageContaining("must be longer than hub.onboarding.connect.drop-off.inactivity");
    }

    @Test
    void referencesFollowLeapsRefIdPattern() {
        assertThat(ConnectLinkRequest.referenceProblem("site-00001")).isNull();
        assertThat(ConnectLinkRequest.referenceProblem("Müller GmbH, Halle 3")).isNull();
        assertThat(ConnectLinkRequest.referenceProblem("ab")).startsWith("2 characters");
        assertThat(ConnectLinkRequest.referenceProblem("a".repeat(256))).isNull();
        for (char c : "/\\?[]{}!#$%^&*()<>|".toCharArray()) {
            assertThat(ConnectLinkRequest.referenceProblem("site" + c + "1")).as(String.valueOf(c)).startsWith("contains '" + c + "'");
        }
    }
}
