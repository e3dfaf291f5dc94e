package io.leapvpp.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

/**
 * The demo SMTP server's mail, kept as one {@code .eml} file per received message in a folder, so a
 * person can open it with any mail client and the demo mail page ({@link DemoMailController}) can
 * list it, also after a restart.
 *
 * <p>A message's id is its file name without {@code .eml}: the UTC receive time and a slug of the
 * subject, e.g. {@code 20250101T120000123Z_battery-offline}. The file holds the message as received
 * (GreenMail adds {@code Return-Path} and {@code Received}), preceded by an {@code X-Envelope-To}
 * header listing the SMTP recipients, Bcc included.
 */
public class DemoMailbox {

    public static final String ENVELOPE_TO_HEADER = "X-Envelope-To";

    private static final DateTimeFormatter TIME_PREFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("(\\d{8}T\\d{9}Z)_[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final int SLUG_MAX = 60;
    private static final String SUFFIX = ".eml";

    private final Path directory;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    public DemoMailbox(Path directory) {
        this(directory, Clock.systemUTC());
    }

    DemoMailbox(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * A message as listed: addresses and subject decoded from the headers; in JSON the time is an
     * ISO-8601 string whatever the ObjectMapper's date settings.
     */
    public record MailSummary(String id, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant receivedAt,
                              String from, String to, String subject) {
    }

    public Path getDirectory() {
        return directory;
    }

    /**
     * Writes the message to a new {@code .eml} file and returns its id. The file appears complete or
     * not at all (written under a temporary name, then renamed).
     */
    public String save(MimeMessage message, Collection<String> envelopeRecipients)
            throws IOException, MessagingException {
        Files.createDirectories(directory);
        String base = TIME_PREFIX.format(clock.instant()) + "_" + slug(message.getSubject());
        Path tmp = Files.createTempFile(directory, ".incoming-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                if (!envelopeRecipients.isEmpty()) {
                    String header = ENVELOPE_TO_HEADER + ": " + String.join(",\r\n\t", envelopeRecipients) + "\r\n";
                    out.write(header.getBytes(StandardCharsets.UTF_8));
                }
                message.writeTo(out);
            }
            for (int n = 1; ; n++) {
                String id = n == 1 ? base : base + "-" + n;
                try {
                    Files.move(tmp, directory.resolve(id + SUFFIX)); // fails rather than overwrite
                    return id;
                } catch (FileAlreadyExistsException sameMillisecondSameSubject) {
                    // next suffix
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** All messages, newest first. */
    public List<MailSummary> list() throws IOException {
        List<MailSummary> mails = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return mails;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String id = idOf(file);
                if (ID.matcher(id).matches()) {
                    summary(id, file).ifPresent(mails::add);
                }
            }
        }
        mails.sort(Comparator.comparing(MailSummary::id).reversed());
        return mails;
    }

    /** The {@code .eml} file of a message, if the id names one (ids that are not ours never resolve). */
    public Optional<Path> file(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path file = directory.resolve(id + SUFFIX);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public Optional<MimeMessage> message(String id) throws IOException, MessagingException {
        Optional<Path> file = file(id);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return Optional.of(new MimeMessage(session, in));
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    private Optional<MailSummary> summary(String id, Path file) throws IOException {
        InternetHeaders headers;
        try (InputStream in = Files.newInputStream(file)) {
            headers = new InternetHeaders(in); // reads up to the blank line only
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (MessagingException unreadable) {
            headers = new InternetHeaders();
        }
        String to = header(headers, ENVELOPE_TO_HEADER);
        if (to.isEmpty()) {
            to = header(headers, "To");
        }
        return Optional.of(new MailSummary(id, receivedAt(id), header(headers, "From"), to, header(headers, "Subject")));
    }

    private static String header(InternetHeaders headers, String name) {
        String value = headers.getHeader(name, ", ");
        if (value == null) {
            return "";
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value)).trim();
        } catch (java.io.UnsupportedEncodingException e) {
            return MimeUtility.unfold(value).trim();
        }
    }

    private static Instant receivedAt(String id) {
        Matcher matcher = ID.matcher(id);
        matcher.matches();
        return Instant.from(TIME_PREFIX.parse(matcher.group(1)));
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    static String slug(String subject) {
        String ascii = Normalizer.normalize(subject == null ? "" : subject, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-");
        if (ascii.length() > SLUG_MAX) {
            ascii = ascii.substring(0, SLUG_MAX);
        }
        ascii = ascii.replaceAll("^-+|-+$", "");
        return ascii.isEmpty() ? "no-subject" : ascii;
    }
}
