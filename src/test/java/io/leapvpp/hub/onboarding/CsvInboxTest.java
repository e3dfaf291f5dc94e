package io.leapvpp.hub.onboarding;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import io.leapvpp.hub.HubSpringTest;
import io.leapvpp.hub.HubTestEnvironment;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared CSV inbox template (routes/05-csv-inbox.camel.yaml) with a target that keeps rows in memory: from a
 * real folder and from the real SFTP server, good rows through, bad rows stored with line and reason, malformed files
 * refused whole, and every file kept in done/ or error/.
 */
class CsvInboxTest extends HubSpringTest {

    private static final String TARGET = "direct:csv-inbox-test-target";

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    /** What the test target stored; the target route outlives a test instance, so it is static. */
    private static final Queue<CsvRow> stored = new ConcurrentLinkedQueue<>();
    private String inbox;
    private String routeId;
    private Path folder;

    @BeforeEach
    void target() throws Exception {
        inbox = "test-" + UUID.randomUUID().toString().substring(0, 8);
        routeId = "csv-inbox-" + inbox;
        if (camel.getRoute("csv-inbox-test-target") == null) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // a direct: target leaves its failures to the inbox route, so refused rows reach its doCatch
                    errorHandler(noErrorHandler());
                    from(TARGET).routeId("csv-inbox-test-target").process(e -> {
                        CsvRow row = e.getMessage().getBody(CsvRow.class);
                        if ("bad".equals(row.value("name"))) {
                            throw new CsvRowRejectedException("bad-name", "name must not be 'bad'");
                        }
                        if ("boom".equals(row.value("name"))) {
                            throw new IllegalStateException("the store is broken for " + row.where());
                        }
                        stored.add(row);
                    });
                }
            });
        }
        stored.clear();
    }

    @AfterEach
    void removeInbox() throws Exception {
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    private void folderInbox() throws Exception {
        folder = HubTestEnvironment.DATA_DIR.resolve("csv-inbox-test").resolve(inbox);
        Files.createDirectories(folder);
        TemplatedRouteBuilder.builder(camel, "csv-inbox").routeId(routeId)
                .parameter("inbox", inbox)
                .parameter("scheme", "file")
                .parameter("location", folder.toString())
                .parameter("columns", "site,name")
                .parameter("optionalColumns", "note")
                .parameter("target", TARGET)
                .add();
    }

    /** Written under a temporary name and renamed, as a partner should. */
    private void drop(String name, String content) throws Exception {
        drop(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private void drop(String name, byte[] content) throws Exception {
        Path tmp = folder.resolve(name + ".part");
        Files.write(tmp, content);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, Object> fileRecord(String name) {
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM csv_inbox_file WHERE inbox = ? AND file_name = ? AND status <> 'RECEIVING'",
                Integer.class, inbox, name) == 1);
        return jdbc.queryForMap("SELECT * FROM csv_inbox_file WHERE inbox = ? AND file_name = ?", inbox, name);
    }

    private List<Map<String, Object>> rejections(long fileId) {
        return jdbc.queryForList("SELECT line_number, reason, detail, row_text FROM csv_inbox_rejection WHERE file_id = ? ORDER BY line_number",
                fileId);
    }

    private static List<String> filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void goodRowsGoThroughBadRowsAreStoredWithTheirLineAndTheFileIsKeptInDone() throws Exception {
        folderInbox();
        drop("sites.csv", """
                site,name,note
                s-1,First,"a note, with a comma"
                s-2,bad,
                s-3,Third

                s-4,"Fourth
                spans two lines",x
                s-5,Fifth,x,extra
                """);
        Map<String, Object> file = fileRecord("sites.csv");
        long id = ((Number) file.get("id")).longValue();
        assertThat(file.get("status")).isEqualTo("DONE_WITH_REJECTIONS");
        assertThat(file).containsEntry("rows_total", 5).containsEntry("rows_accepted", 2).containsEntry("rows_rejected", 3);
        assertThat(stored).extracting(CsvRow::line).containsExactly(2, 6);
        assertThat(stored).extracting(r -> r.value("name")).containsExactly("First", "Fourth\nspans two lines");
        assertThat(stored.peek().value("note")).isEqualTo("a note, with a comma");
        assertThat(stored.peek().fileId()).isEqualTo(id);

        List<Map<String, Object>> rejected = rejections(id);
        assertThat(rejected).extracting(r -> r.get("line_number")).containsExactly(3, 4, 8);
        assertThat(rejected.get(0)).containsEntry("reason", "bad-name").containsEntry("detail", "name must not be 'bad'");
        assertThat(rejected.get(1).get("reason")).isEqualTo("wrong-field-count");
        assertThat((String) rejected.get(1).get("detail")).contains("expected 3 fields", "found 2");
        assertThat(rejected.get(2).get("row_text")).isEqualTo("s-5,Fifth,x,extra");

        assertThat(file.get("kept_as")).isEqualTo("done/" + id + "-sites.csv");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(folder.resolve("done/" + id + "-sites.csv")));
        assertThat(filesIn(folder)).isEmpty();
    }

    @Test
    void malformedFilesAreRefusedWholeStoredAndKeptInError() throws Exception {
        folderInbox();
        drop("empty.csv", "");
        drop("binary.csv", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
        drop("no-header.csv", "s-1,First\ns-2,Second\n");
        drop("columns.csv", "site,nmae,colour\ns-1,First,red\n");
        drop("quote.csv", "site,name\ns-1,\"unterminated\ns-2,Second\n");

        Map<String, String> expected = Map.of("empty.csv", "no-header", "binary.csv", "not-csv",
                "no-header.csv", "no-header", "columns.csv", "wrong-columns", "quote.csv", "not-csv");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Map<String, Object> file = fileRecord(e.getKey());
            long id = ((Number) file.get("id")).longValue();
            assertThat(file.get("status")).as(e.getKey()).isEqualTo("REJECTED");
            assertThat(file.get("reason")).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(file.get("kept_as")).isEqualTo("error/" + id + "-" + e.getKey());
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(folder.resolve("error/" + id + "-" + e.getKey())));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM hub_rejected_input WHERE source = ? AND detail LIKE ?",
                    Integer.class, "csv-inbox/" + inbox, e.getKey() + " (csv_inbox_file " + id + ")%")).isEqualTo(1);
        }
        Map<String, Object> columns = fileRecord("columns.csv");
        assertThat((String) columns.get("detail")).contains("missing required column(s): name", "unknown column(s): nmae, colour");
        assertThat(stored).isEmpty();
        assertThat(filesIn(folder)).isEmpty();
        // the content is kept byte for byte
        Map<String, Object> binary = fileRecord("binary.csv");
        assertThat(Files.readAllBytes(folder.resolve("error/" + binary.get("id") + "-binary.csv")))
                .containsExactly((byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2);
    }

    @Test
    void aRowTheTargetCannotStoreIsDeadLetteredAndTheFileIsKeptInError() throws Exception {
        folderInbox();
        drop("boom.csv", "site,name\ns-1,One\ns-2,boom\ns-3,Three\n");
        Map<String, Object> file = fileRecord("boom.csv");
        long id = ((Number) file.get("id")).longValue();
        assertThat(file).containsEntry("status", "INCOMPLETE").containsEntry("rows_total", 3).containsEntry("rows_accepted", 2)
                .containsEntry("rows_rejected", 0);
        assertThat((String) file.get("detail")).contains("1 row(s) could not be stored");
        assertThat(stored).extracting(r -> r.value("site")).containsExactly("s-1", "s-3");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM hub_dead_letter WHERE error_message LIKE ?", Integer.class,
                "the store is broken for boom.csv line 3%")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(folder.resolve("error/" + id + "-boom.csv")));
    }

    @Test
    void aFileStillUnderItsTemporaryNameIsLeftAlone() throws Exception {
        folderInbox();
        Files.writeString(folder.resolve("late.csv.part"), "site,name\ns-1,One\n");
        Thread.sleep(1500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM csv_inbox_file WHERE inbox = ?", Integer.class, inbox)).isZero();
        Files.move(folder.resolve("late.csv.part"), folder.resolve("late.csv"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(fileRecord("late.csv").get("status")).isEqualTo("DONE");
        assertThat(stored).extracting(r -> r.value("site")).containsExactly("s-1");
    }

    @Test
    void aFileFromSftpIsReadAndKeptInDoneOnTheServer() throws Exception {
        String directory = "inbox-" + inbox;
        TemplatedRouteBuilder.builder(camel, "csv-inbox").routeId(routeId)
                .parameter("inbox", inbox)
                .parameter("scheme", "sftp")
                .parameter("location", "127.0.0.1:" + HubTestEnvironment.sftp().getPort() + "/" + directory)
                .parameter("columns", "site,name")
                .parameter("target", TARGET)
                .parameter("username", HubTestEnvironment.SFTP_USER)
                .parameter("password", HubTestEnvironment.SFTP_PASSWORD)
                .parameter("knownHostsFile", HubTestEnvironment.sftp().getKnownHostsFile().toString())
                .parameter("strictHostKeyChecking", "yes")
                .parameter("useUserKnownHostsFile", "false")
                .add();
        upload(directory, "remote.csv", "site,name\ns-10,Ten\ns-11,Eleven\n");

        Map<String, Object> file = fileRecord("remote.csv");
        long id = ((Number) file.get("id")).longValue();
        assertThat(file.get("status")).isEqualTo("DONE");
        assertThat((String) file.get("source")).startsWith("sftp://127.0.0.1:" + HubTestEnvironment.sftp().getPort() + "/" + directory)
                .doesNotContain(HubTestEnvironment.SFTP_PASSWORD);
        assertThat(stored).extracting(r -> r.value("site")).containsExactly("s-10", "s-11");
        Path remote = HubTestEnvironment.sftp().getRootDirectory().resolve(directory);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(remote.resolve("done/" + id + "-remote.csv")));
        assertThat(filesIn(remote)).isEmpty();
    }

    /** As a partner would: JSch, strict host keys, upload under a temporary name, then rename. */
    static void upload(String directory, String name, String content) throws Exception {
        JSch jsch = new JSch();
        jsch.setKnownHosts(HubTestEnvironment.sftp().getKnownHostsFile().toString());
        Session session = jsch.getSession(HubTestEnvironment.SFTP_USER, "127.0.0.1", HubTestEnvironment.sftp().getPort());
        session.setPassword(HubTestEnvironment.SFTP_PASSWORD);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.connect(5_000);
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(5_000);
            try {
                sftp.mkdir(directory);
            } catch (Exception alreadyThere) {
                // fine
            }
            sftp.put(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), directory + "/" + name + ".part");
            sftp.rename(directory + "/" + name + ".part", directory + "/" + name);
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
    }
}
