package io.leapvpp.hub.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's mail templates: plain text files (config/templates/) read at every use, so operations can change a text
 * without a restart, with {@code ${name}} placeholders and nothing else: values are never interpreted.
 */
public final class MailTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    private MailTemplates() {
    }

    public static String read(String directory, String name) {
        Path file = Path.of(directory, name);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Mail template missing: " + file, e);
        }
    }

    /** Replaces each {@code ${name}} with its value; an unknown name stays as it is. */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group(0))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
