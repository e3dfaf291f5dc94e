package io.leapvpp.hub.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP server for demo mode: GreenMail, SMTP only, without authentication (a client that sends AUTH
 * anyway is accepted). Every accepted message goes to the {@link DemoMailbox} and nowhere else:
 * GreenMail's own in-memory mailboxes stay empty, so memory does not grow with the mail. If the
 * message cannot be written, the SMTP transaction fails and the sender sees the error.
 */
public class EmbeddedSmtpServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSmtpServer.class);

    private final String bindAddress;
    private final int configuredPort;
    private final DemoMailbox mailbox;

    private GreenMail greenMail;

    /** @param port 0 binds a free port; {@link #getPort()} tells which */
    public EmbeddedSmtpServer(String bindAddress, int port, DemoMailbox mailbox) {
        this.bindAddress = bindAddress;
        this.configuredPort = port;
        this.mailbox = mailbox;
    }

    public synchronized void start() {
        if (greenMail != null) {
            return;
        }
        ServerSetup setup = new ServerSetup(configuredPort, bindAddress, ServerSetup.PROTOCOL_SMTP);
        if (configuredPort == 0) {
            setup = setup.dynamicPort();
        }
        GreenMail server = new MailboxGreenMail(setup, mailbox);
        server.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        server.start();
        greenMail = server;
        log.info("Demo SMTP server listening on {}:{} (no authentication; mail kept in {})",
                bindAddress, getPort(), mailbox.getDirectory());
    }

    public synchronized void stop() {
        if (greenMail == null) {
            return;
        }
        greenMail.stop();
        greenMail = null;
        log.info("Demo SMTP server stopped");
    }

    public synchronized boolean isRunning() {
        return greenMail != null && greenMail.isRunning();
    }

    /** The bound port; -1 while stopped. */
    public synchronized int getPort() {
        return greenMail == null ? -1 : greenMail.getSmtp().getPort();
    }

    /** The host name clients should use. */
    public String getHost() {
        return DemoHosts.clientHost(bindAddress);
    }

    public DemoMailbox getMailbox() {
        return mailbox;
    }

    /**
     * GreenMail whose SMTP side hands each message to the mailbox. GreenMail creates its services from
     * the {@code managers} field at start and only creates new managers when the field is null.
     */
    private static final class MailboxGreenMail extends GreenMail {
        MailboxGreenMail(ServerSetup setup, DemoMailbox mailbox) {
            super(setup);
            managers = new MailboxManagers(mailbox);
        }
    }

    private static final class MailboxManagers extends Managers {
        private final SmtpManager smtpManager;

        MailboxManagers(DemoMailbox mailbox) {
            smtpManager = new SmtpManager(getImapHostManager(), getUserManager()) {
                /** Called once per message after DATA; GreenMail answers 250 when it returns normally. */
                @Override
                public synchronized void send(SmtpState state) {
                    MovingMessage message = state.getMessage();
                    List<String> recipients = message.getToAddresses().stream().map(MailAddress::getEmail).toList();
                    try {
                        String id = mailbox.save(message.getMessage(), recipients);
                        log.info("Demo SMTP server received mail {} for {}", id, recipients);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot keep received mail in " + mailbox.getDirectory(), e);
                    } catch (MessagingException e) {
                        throw new IllegalStateException("Cannot keep received mail in " + mailbox.getDirectory(), e);
                    }
                }
            };
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtpManager;
        }
    }
}
