package io.leapvpp.hub.onboarding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hub.inbox.*}: limits of the shared CSV inbox ({@link CsvInbox}); its polling settings are read by
 * routes/05-csv-inbox.camel.yaml.
 *
 * @param maxFileSize a larger file is rejected whole (and kept in error/) without being read
 * @param maxRows     a file with more data rows is rejected whole
 */
@ConfigurationProperties("hub.inbox")
public record CsvInboxProperties(@DefaultValue("20MB") DataSize maxFileSize, @DefaultValue("100000") int maxRows) {

    public CsvInboxProperties {
        maxFileSize = maxFileSize != null ? maxFileSize : DataSize.ofMegabytes(20);
        if (maxRows < 1) {
            throw new IllegalArgumentException("hub.inbox.max-rows must be at least 1, was " + maxRows);
        }
    }
}
