package io.leapvpp.hub.onboarding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.HubApplication;
import io.leapvpp.hub.HubTestEnvironment;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.leapvpp.hub.onboarding.ConnectTestSupport.mailsContaining;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.postLink;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.ref;
import static io.leapvpp.hub.onboarding.ConnectTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reminders are scheduled work in PostgreSQL, not timers in a hub: a hub schedules them and stops; while no hub runs
 * the first falls due; two hubs then start against the same database and every reminder goes out exactly once. The
 * hubs of this test have a database of their own, so the hub contexts other test classes keep running cannot send
 * these reminders while "every hub is down". The cadence is minutes long; the test moves due times to "now" instead of
 * waiting.
 */
class ConnectReminderRestartTest {

    static final String DATABASE = "connect_restart_test";
    static final int CUSTOMERS = 5;

    @Test
    void pendingRemindersAreSentOnceAfterARestartAlsoWithTwoHubs() throws Exception {
        String url = freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", ""));
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            refs.add(ref("site-restart-" + i));
        }

        try (ConfigurableApplicationContext a = hub(url)) {
            int port = port(a);
            for (String ref : refs) {
                assertThat(postLink(port, Map.of("partner_reference", ref, "customer_email", "restart@customer.example", "send_email", false))
                        .status()).isEqualTo(201);
                ObjectNode closed = ConnectSessionTrackingTest.envelope("connect_session.updated", ref, "CLOSED", null);
                assertThat(send("POST", "http://127.0.0.1:" + port + "/leap/webhooks/events", closed.toString(),
                        ConnectTestSupport.EVENTS_SECRET).status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> count(jdbc, "status = 'PENDING'") == 3 * CUSTOMERS);
        }
        // every hub is down; the first reminder of each customer falls due
        jdbc.update("UPDATE connect_mail SET due_at = now() - interval '1 second' WHERE kind = 'REMINDER' AND reminder_number = 1");
        Thread.sleep(1000);
        assertThat(count(jdbc, "status = 'PENDING'")).isEqualTo(3 * CUSTOMERS);
        assertThat(mails(refs)).isZero();

        // one after the other: two Camel contexts starting at the same moment in one JVM race for Quartz's JMX name
        try (ConfigurableApplicationContext hubB = hub(url); ConfigurableApplicationContext hubC = hub(url)) {
            assertThat(hubB.isRunning() && hubC.isRunning()).isTrue();
            for (int number = 1; number <= 3; number++) {
                if (number > 1) {
                    jdbc.update("UPDATE connect_mail SET due_at = now() WHERE kind = 'REMINDER' AND reminder_number = ?", number);
                }
                int expected = number * CUSTOMERS;
                await().atMost(Duration.ofSeconds(20)).until(() -> mails(refs) >= expected);
                Thread.sleep(1500); // several checks of both hubs: nothing goes twice
                assertThat(mails(refs)).as("mails after reminder " + number).isEqualTo(expected);
                assertThat(count(jdbc, "reminder_number = " + number + " AND status = 'SENT' AND attempts = 1")).isEqualTo(CUSTOMERS);
            }
        }
        for (String ref : refs) {
            List<ConnectTestSupport.Mail> mails = mailsContaining(ref);
            assertThat(mails).extracting(m -> m.text().contains("Reminder 1 of 3")).containsExactly(true, false, false);
            assertThat(mails.get(2).text()).contains("Reminder 3 of 3");
        }
    }

    static int count(JdbcTemplate jdbc, String condition) {
        return jdbc.queryForObject("SELECT count(*) FROM connect_mail WHERE kind = 'REMINDER' AND " + condition, Integer.class);
    }

    static int mails(List<String> refs) throws Exception {
        int n = 0;
        for (String ref : refs) {
            n += mailsContaining(ref).size();
        }
        return n;
    }

    static int port(ConfigurableApplicationContext hub) {
        return ((WebServerApplicationContext) hub).getWebServer().getPort();
    }

    /** A hub as the tests run it (the test profile, the shared servers), on a database of its own. */
    static ConfigurableApplicationContext hub(String databaseUrl) {
        return new SpringApplicationBuilder(HubApplication.class).run(
                "--spring.profiles.active=test", "--server.port=0",
                "--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--hub.demo.data-dir=" + HubTestEnvironment.DATA_DIR,
                "--hub.mqtt.broker-url=" + HubTestEnvironment.mqtt().getBrokerUrl(),
                "--hub.sftp.host=127.0.0.1", "--hub.sftp.port=" + HubTestEnvironment.sftp().getPort(),
                "--hub.sftp.known-hosts-file=" + HubTestEnvironment.sftp().getKnownHostsFile(),
                "--hub.mail.host=127.0.0.1", "--hub.mail.port=" + HubTestEnvironment.smtp().getPort(),
                "--hub.leap.base-url=" + HubTestEnvironment.sandbox().baseUrl(),
                "--hub.onboarding.connect.reminders.offsets=PT1M,PT2M,PT3M");
    }

    static String freshDatabase() throws Exception {
        String adminUrl = HubTestEnvironment.postgres().jdbcUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + DATABASE;
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        return url;
    }
}
