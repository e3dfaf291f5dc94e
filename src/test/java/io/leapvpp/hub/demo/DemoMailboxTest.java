package io.leapvpp.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMailboxTest {

    @TempDir
    Path dir;

    @Test
    void sameSubjectInTheSameMillisecondGetsItsOwnFile() throws Exception {
        Instant now = Instant.parse("2025-03-01T08:15:30.123Z");
        DemoMailbox mailbox = new DemoMailbox(dir, Clock.fixed(now, ZoneOffset.UTC));

        String first = mailbox.save(message("Meter m-7: no data"), List.of("ops@partner.test"));
        String second = mailbox.save(message("Meter m-7: no data"), List.of("ops@partner.test"));

        assertThat(first).isEqualTo("20250301T081530123Z_meter-m-7-no-data");
        assertThat(second).isEqualTo("20250301T081530123Z_meter-m-7-no-data-2");
        assertThat(mailbox.list()).extracting(DemoMailbox.MailSummary::id).containsExactly(second, first);
        assertThat(mailbox.list().get(0).receivedAt()).isEqualTo(now);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder(first + ".eml", second + ".eml");
    }

    @Test
    void slugs() {
        assertThat(DemoMailbox.slug(null)).isEqualTo("no-subject");
        assertThat(DemoMailbox.slug("  !!! ")).isEqualTo("no-subject");
        assertThat(DemoMailbox.slug("Ärger über Überlast")).isEqualTo("arger-uber-uberlast");
        assertThat(DemoMailbox.slug("x".repeat(100))).hasSize(60);
    }

    private static MimeMessage message(String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("hub@leap.test");
        message.setRecipients(Message.RecipientType.TO, "ops@partner.test");
        message.setSubject(subject);
        message.setText("body");
        return message;
    }
}
