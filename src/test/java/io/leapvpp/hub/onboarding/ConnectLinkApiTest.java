package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import io.leapvpp.hub.HubSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.leapvpp.hub.onboarding.ConnectTestSupport.mailsContaining;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.postLink;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.ref;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST /api/onboarding/connect-links over real HTTP: the link in Leap's documented onboarding format (test profile:
 * organisation test-partner, flow ci-utilities), stored, mailed through the real SMTP server; refusals as {error, detail}.
 */
class ConnectLinkApiTest extends HubSpringTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLinkIsBuiltStoredAndMailedToTheCustomer() throws Exception {
        String ref = ref("site a/b").replace("/", "+"); // a space and a + must be encoded in the URL
        ConnectTestSupport.Reply r = postLink(port, Map.of("partner_reference", ref, "requested_utilities", List.of("PGE", "sce"),
                "customer_email", "facilities@customer.example"));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode answer = r.json();
        String encodedRef = ref.replace(" ", "%20").replace("+", "%2B");
        String url = "https://onboarding.leap.energy/test-partner/ci-utilities/?requestedUtilities=PGE,SCE&refId=" + encodedRef;
        assertThat(answer.path("url").asText()).isEqualTo(url);
        assertThat(answer.path("partner_reference").asText()).isEqualTo(ref);
        assertThat(answer.path("url_format").asText()).isEqualTo("onboarding");
        assertThat(answer.path("email").path("status").asText()).isEqualTo("PENDING");

        Map<String, Object> link = jdbc.queryForMap("SELECT url, customer_email, source, requested_utilities::text AS u FROM connect_link WHERE id = ?",
                answer.path("link_id").asLong());
        assertThat(link).containsEntry("url", url).containsEntry("customer_email", "facilities@customer.example").containsEntry("source", "API");
        assertThat((String) link.get("u")).isEqualTo("[\"PGE\", \"SCE\"]");

        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(url).isEmpty());
        ConnectTestSupport.Mail mail = mailsContaining(url).get(0);
        assertThat(mail.to()).containsExactly("facilities@customer.example");
        assertThat(mail.subject()).contains("Connect your utility account");
        assertThat(mail.text()).contains(ref).contains("  " + url + "\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> "SENT".equals(jdbc.queryForObject(
                "SELECT status FROM connect_mail WHERE link_id = ?", String.class, answer.path("link_id").asLong())));
    }

    @Test
    void withoutAnEmailOrUtilitiesTheLinkIsOnlyStored() throws Exception {
        String ref = ref("site-plain");
        ConnectTestSupport.Reply r = postLink(port, Map.of("partner_reference", ref));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("url").asText()).isEqualTo("https://onboarding.leap.energy/test-partner/ci-utilities/?refId=" + ref);
        assertThat(r.json().path("email").path("status").asText()).isEqualTo("NOT_REQUESTED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_mail WHERE partner_reference = ?", Integer.class, ref)).isZero();

        // send_email=false keeps the address (for reminders) without mailing the link
        ConnectTestSupport.Reply quiet = postLink(port, Map.of("partner_reference", ref, "customer_email", "quiet@customer.example", "send_email", false));
        assertThat(quiet.status()).isEqualTo(201);
        assertThat(quiet.json().path("email").path("status").asText()).isEqualTo("NOT_REQUESTED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_link WHERE partner_reference = ?", Integer.class, ref)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_mail WHERE partner_reference = ?", Integer.class, ref)).isZero();
    }

    @Test
    void theSameRequestRepeatedAnswersTheFirstLinkWithoutASecondMail() throws Exception {
        String ref = ref("site-retry");
        Map<String, Object> body = Map.of("partner_reference", ref, "customer_email", "retry@customer.example");
        ConnectTestSupport.Reply first = postLink(port, body);
        ConnectTestSupport.Reply again = postLink(port, body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("repeated").asBoolean()).isTrue();
        assertThat(again.json().path("link_id").asLong()).isEqualTo(first.json().path("link_id").asLong());
        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(ref).isEmpty());
        Thread.sleep(1000);
        assertThat(mailsContaining(ref)).hasSize(1);

        // another email for the same reference is a new link (and mail)
        ConnectTestSupport.Reply other = postLink(port, Map.of("partner_reference", ref, "customer_email", "other@customer.example"));
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.json().path("link_id").asLong()).isNotEqualTo(first.json().path("link_id").asLong());
    }

    @Test
    void invalidReferencesAreRefusedWithTheReason() throws Exception {
        record Case(Object reference, String reason) {
        }
        List<Case> cases = List.of(
                new Case("ab", "partner_reference: 2 characters; Leap's refId has 3 to 256"),
                new Case("x".repeat(257), "partner_reference: 257 characters"),
                new Case("site#12", "partner_reference: contains '#'"),
                new Case("site/12", "partner_reference: contains '/'"),
                new Case("site?12", "partner_reference: contains '?'"),
                new Case("a|b|c", "partner_reference: contains '|'"),
                new Case(42, "partner_reference: must be a string"));
        for (Case c : cases) {
            ConnectTestSupport.Reply r = postLink(port, Map.of("partner_reference", c.reference()));
            assertThat(r.status()).as(c.reference() + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
            assertThat(r.json().path("detail").asText()).as(String.valueOf(c.reference())).startsWith(c.reason());
        }
        ConnectTestSupport.Reply missing = postLink(port, Map.of("customer_email", "x@customer.example"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("detail").asText()).isEqualTo("partner_reference: required (Leap's refId)");

        ConnectTestSupport.Reply email = postLink(port, Map.of("partner_reference", ref("site-mail"), "customer_email", "not an address"));
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.json().path("detail").asText()).startsWith("customer_email: ");
        ConnectTestSupport.Reply injected = postLink(port, Map.of("partner_reference", ref("site-mail"), "customer_email", "a@b.example\r\nBcc: x@y.example"));
        assertThat(injected.status()).isEqualTo(400);
        assertThat(injected.json().path("detail").asText()).isEqualTo("customer_email: contains a control character");

        ConnectTestSupport.Reply utility = postLink(port, Map.of("partner_reference", ref("site-util"), "requested_utilities", List.of("PG&E")));
        assertThat(utility.status()).isEqualTo(400);
        assertThat(utility.json().path("detail").asText()).startsWith("requested_utilities: 'PG&E' is not a Leap utility name");

        ConnectTestSupport.Reply unknown = postLink(port, Map.of("partner_reference", ref("site-typo"), "customerEmail", "x@customer.example"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("detail").asText()).startsWith("customerEmail: unknown field");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_link WHERE partner_reference IN ('ab', 'site#12', 'site/12')", Integer.class)).isZero();
    }

    @Test
    void malformedBodiesAreRefused() throws Exception {
        ConnectTestSupport.Reply broken = postLink(port, "{\"partner_reference\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("detail").asText()).startsWith("body: malformed JSON");
        ConnectTestSupport.Reply array = postLink(port, "[\"site-1\"]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().path("detail").asText()).startsWith("body: a JSON object");
        ConnectTestSupport.Reply empty = postLink(port, "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("detail").asText()).startsWith("body: empty");
        ConnectTestSupport.Reply big = postLink(port, "{\"partner_reference\": \"" + "x".repeat(70_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
    }

    @Test
    void theApiKeyIsRequired() throws Exception {
        String body = "{\"partner_reference\": \"" + ref("site-key") + "\"}";
        String url = "http://127.0.0.1:" + port + "/api/onboarding/connect-links";
        ConnectTestSupport.Reply missing = send("POST", url, body, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(missing.json().path("detail").asText()).isEqualTo("missing header x-api-key");
        ConnectTestSupport.Reply wrong = send("POST", url, body, "test-events-SECRET-8c2d41");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asText()).isEqualTo("wrong value in header x-api-key");
        assertThat(send("GET", url, null, ConnectTestSupport.API_KEY).status()).as("POST only").isEqualTo(405);
    }
}
