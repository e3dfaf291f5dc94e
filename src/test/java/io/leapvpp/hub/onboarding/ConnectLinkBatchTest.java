package io.leapvpp.hub.onboarding;

import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leapvpp.hub.onboarding.ConnectTestSupport.mailsContaining;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connect links for the installed base: CSV files dropped into the Connect-links inbox (a real folder, the real SFTP
 * server) through the shared CSV inbox; good rows get links and mails, bad rows are stored with their reason, every
 * file is kept.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.onboarding.connect.inbox.folder.enabled=true",
        "hub.onboarding.connect.inbox.sftp.enabled=true"})
class ConnectLinkBatchTest extends HubSpringTest {

    /** Same values as config/application-test.yaml. */
    static final Path FOLDER = Path.of("target/test-data/connect-links-inbox");
    static final String SFTP_DIRECTORY = "connect-links-test";

    @Autowired
    JdbcTemplate jdbc;

    Map<String, Object> file(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM csv_inbox_file WHERE inbox = 'connect-links' AND file_name = ? AND status <> 'RECEIVING'",
                Integer.class, name) == 1);
        return jdbc.queryForMap("SELECT * FROM csv_inbox_file WHERE inbox = 'connect-links' AND file_name = ?", name);
    }

    void drop(String name, String content) throws Exception {
        Files.createDirectories(FOLDER);
        Path part = FOLDER.resolve(name + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, FOLDER.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void goodRowsGetLinksAndMailsBadRowsAreStoredWithTheirReasonAndTheFileIsKept() throws Exception {
        String one = ref("base-one");
        String two = ref("base-two");
        String name = "installed-base-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
        drop(name, String.join("\n",
                "partner_reference,requested_utilities,customer_email,send_email",
                one + ",PGE;SCE,one@customer.example,",
                two + ",,two@customer.example,false",
                "bad#ref,,three@customer.example,",
                ref("base-four") + ",,not an address,",
                ref("base-five") + ",PG&E,,",
                ref("base-six") + ",,six@customer.example,maybe",
                ""));

        Map<String, Object> f = file(name);
        long id = ((Number) f.get("id")).longValue();
        assertThat(f.get("status")).isEqualTo("DONE_WITH_REJECTIONS");
        assertThat(f.get("rows_total")).isEqualTo(6);
        assertThat(f.get("rows_accepted")).isEqualTo(2);
        assertThat(f.get("rows_rejected")).isEqualTo(4);

        List<Map<String, Object>> rejected = jdbc.queryForList(
                "SELECT line_number, reason, detail FROM csv_inbox_rejection WHERE file_id = ? ORDER BY line_number", id);
        assertThat(rejected).extracting(r -> r.get("line_number")).containsExactly(4, 5, 6, 7);
        assertThat(rejected).extracting(r -> r.get("reason"))
                .containsExactly("invalid-partner-reference", "invalid-customer-email", "invalid-requested-utilities", "invalid-send-email");
        assertThat((String) rejected.get(0).get("detail")).startsWith("partner_reference: contains '#'").endsWith(name + " line 4)");

        Map<String, Object> link = jdbc.queryForMap("SELECT url, source, source_file, source_line FROM connect_link WHERE partner_reference = ?", one);
        String url = "https://onboarding.leap.energy/test-partner/ci-utilities/?requestedUtilities=PGE,SCE&refId=" + one;
        assertThat(link).containsEntry("url", url).containsEntry("source", "CSV").containsEntry("source_file", name).containsEntry("source_line", 2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_link WHERE partner_reference = ?", Integer.class, two)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_link WHERE partner_reference = 'bad#ref'", Integer.class)).isZero();

        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(url).isEmpty());
        assertThat(mailsContaining(url).get(0).to()).containsExactly("one@customer.example");
        assertThat(mailsContaining(two)).as("send_email=false").isEmpty();

        Path kept = FOLDER.resolve("done").resolve(id + "-" + name);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(kept));
        assertThat(Files.readString(kept)).contains("bad#ref");
        assertThat(FOLDER.resolve(name)).doesNotExist();
    }

    @Test
    void theDocumentedExampleIsAcceptedWhole() throws Exception {
        String name = "example-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
        drop(name, Files.readString(Path.of("docs/examples/connect-links.csv")));
        Map<String, Object> f = file(name);
        assertThat(f.get("status")).isEqualTo("DONE");
        assertThat(f.get("rows_accepted")).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_link WHERE source_file = ?", Integer.class, name)).isEqualTo(4);
    }

    @Test
    void aFileWithoutThePartnerReferenceColumnIsRefusedWholeAndKeptInError() throws Exception {
        String name = "wrong-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
        drop(name, "refId,customer_email\nsite-1,x@customer.example\n");
        Map<String, Object> f = file(name);
        assertThat(f.get("status")).isEqualTo("REJECTED");
        assertThat(f.get("reason")).isEqualTo("no-header");
        assertThat((String) f.get("detail")).contains("partner_reference");
        long id = ((Number) f.get("id")).longValue();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(FOLDER.resolve("error").resolve(id + "-" + name)));
    }

    @Test
    void aFileUploadedOverSftpIsProcessedAndKeptOnTheServer() throws Exception {
        String ref = ref("base-sftp");
        String name = "sftp-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
        CsvInboxTest.upload(SFTP_DIRECTORY, name, "partner_reference,customer_email\n" + ref + ",sftp@customer.example\n");

        Map<String, Object> f = file(name);
        assertThat(f.get("status")).isEqualTo("DONE");
        long id = ((Number) f.get("id")).longValue();
        await().atMost(Duration.ofSeconds(15)).until(() -> !mailsContaining(ref).isEmpty());
        assertThat(mailsContaining(ref).get(0).text()).contains("https://onboarding.leap.energy/test-partner/ci-utilities/?refId=" + ref);
        Path remote = HubTestEnvironment.sftp().getRootDirectory().resolve(SFTP_DIRECTORY);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(remote.resolve("done").resolve(id + "-" + name)));
    }
}
