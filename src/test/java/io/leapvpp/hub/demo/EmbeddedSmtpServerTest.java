package io.leapvpp.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.server.ResponseStatusException;

/** Real GreenMail SMTP on a random loopback port, mail sent with jakarta.mail, page read through MockMvc. */
class EmbeddedSmtpServerTest {

    private static final String SUBJECT = "Battery <b>offline</b> & 'site' Zürich";

    @TempDir
    Path dataDir;

    private EmbeddedSmtpServer server;
    private DemoMailbox mailbox;
    private MockMvc mvc;

    @BeforeEach
    void start() {
        mailbox = new DemoMailbox(dataDir.resolve("mail"));
        server = new EmbeddedSmtpServer("127.0.0.1", 0, mailbox);
        server.start();
        mvc = MockMvcBuilders.standaloneSetup(new DemoMailController(mailbox)).build();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void receivedMailIsWrittenAsEmlAndListedOnThePage() throws Exception {
        assertThat(server.getPort()).isPositive();
        Session session = session(false);
        MimeMessage message = new MimeMessage(session);
        message.setFrom("Leap VPP Hub <hub@leap.test>");
        message.setRecipients(Message.RecipientType.TO, "ops@partner.test");
        message.setRecipients(Message.RecipientType.BCC, "audit@partner.test");
        message.setSubject(SUBJECT, "UTF-8");
        message.setText("Site s1 reports its battery offline.\n", "UTF-8");
        Transport.send(message);

        List<Path> files = emlFiles();
        assertThat(files).hasSize(1);
        String fileName = files.get(0).getFileName().toString();
        assertThat(fileName).matches("\\d{8}T\\d{9}Z_battery-b-offline-b-site-zurich\\.eml");
        try (InputStream in = Files.newInputStream(files.get(0))) {
            MimeMessage stored = new MimeMessage(session, in);
            assertThat(stored.getSubject()).isEqualTo(SUBJECT);
            assertThat(stored.getHeader(DemoMailbox.ENVELOPE_TO_HEADER, ",")).contains("ops@partner.test", "audit@partner.test");
        }
        String id = fileName.substring(0, fileName.length() - ".eml".length());

        mvc.perform(get("/demo/mail.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].id").value(id))
                .andExpect(jsonPath("$[0].subject").value(SUBJECT))
                .andExpect(jsonPath("$[0].from").value("Leap VPP Hub <hub@leap.test>"))
                .andExpect(jsonPath("$[0].to").value(containsString("audit@partner.test")))
                .andExpect(jsonPath("$[0].receivedAt").value(org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z")));

        mvc.perform(get("/demo/mail"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(content().string(containsString(
                        "Battery &lt;b&gt;offline&lt;/b&gt; &amp; &#39;site&#39; Z&uuml;rich")))
                .andExpect(content().string(not(containsString("<b>offline"))))
                .andExpect(content().string(containsString("Leap VPP Hub &lt;hub@leap.test&gt;")))
                .andExpect(content().string(containsString("href=\"mail/" + id + "\"")));

        mvc.perform(get("/demo/mail/" + id))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/plain"))
                .andExpect(content().string(containsString("Subject: " + SUBJECT)))
                .andExpect(content().string(containsString("Site s1 reports its battery offline.")));

        mvc.perform(get("/demo/mail/" + id + "/raw"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Return-Path: <hub@leap.test>")));
    }

    @Test
    void htmlMailIsServedSandboxedAndAuthenticatingClientsAreAccepted() throws Exception {
        MimeMessage message = new MimeMessage(session(true));
        message.setFrom("hub@leap.test");
        message.setRecipients(Message.RecipientType.TO, "ops@partner.test");
        message.setSubject("Daily report");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("plain version", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<h1>Report</h1><script>alert(1)</script>", "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", text, html));
        Transport.send(message, "any-user", "any-password");

        String id = mailbox.list().get(0).id();
        mvc.perform(get("/demo/mail/" + id))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(content().string("<h1>Report</h1><script>alert(1)</script>"))
                .andExpect(header().string("Content-Security-Policy", DemoMailController.MAIL_HTML_POLICY));
    }

    @Test
    void mailThatCannotBeKeptIsRefusedNotAcknowledged() throws Exception {
        Files.writeString(mailbox.getDirectory(), "a file where the mail folder should be");
        MimeMessage message = new MimeMessage(session(false));
        message.setFrom("hub@leap.test");
        message.setRecipients(Message.RecipientType.TO, "ops@partner.test");
        message.setSubject("Will not fit");
        message.setText("body");

        assertThatThrownBy(() -> Transport.send(message)).isInstanceOf(MessagingException.class);
    }

    @Test
    void unknownOrForeignIdsAreNotFound() throws Exception {
        Files.createDirectories(mailbox.getDirectory());
        Files.writeString(dataDir.resolve("secret.eml"), "Subject: secret\r\n\r\nx");
        assertThat(mailbox.getDirectory().resolve("../secret.eml")).exists();
        assertThat(mailbox.file("../secret")).isEmpty();
        assertThatThrownBy(() -> new DemoMailController(mailbox).raw("../secret"))
                .isInstanceOf(ResponseStatusException.class).hasMessageContaining("404");
        mvc.perform(get("/demo/mail/20990101T000000000Z_nothing")).andExpect(status().isNotFound());
        mvc.perform(get("/demo/mail/..%2Fsecret")).andExpect(status().isNotFound());
        mvc.perform(get("/demo/mail/..%2Fsecret/raw")).andExpect(status().isNotFound());
        mvc.perform(get("/demo/mail.json")).andExpect(jsonPath("$", hasSize(0)));
    }

    private Session session(boolean auth) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", server.getHost());
        properties.put("mail.smtp.port", String.valueOf(server.getPort()));
        properties.put("mail.smtp.auth", String.valueOf(auth));
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "5000");
        return Session.getInstance(properties);
    }

    private List<Path> emlFiles() throws Exception {
        try (Stream<Path> files = Files.list(mailbox.getDirectory())) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }
}
