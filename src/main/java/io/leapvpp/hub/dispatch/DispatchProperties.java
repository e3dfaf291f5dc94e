package io.leapvpp.hub.dispatch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code hub.dispatch.*}: the dispatch receivers, the rules that turn timeslots into device commands,
 * the polling backstop and the webhook registration. See docs/dispatch.md and README "Dispatch".
 * {@link #toString()} never prints the webhook secret.
 */
@ConfigurationProperties("hub.dispatch")
public record DispatchProperties(
        @DefaultValue Webhook webhook,
        @DefaultValue TestNotifications testNotifications,
        @DefaultValue("nomination") String groupSplit,
        @DefaultValue("send") String voluntaryPolicy,
        @DefaultValue Polling polling,
        @DefaultValue Registration registration,
        @DefaultValue Intake intake) {

    public static final String METER_PATH = "/leap/webhooks/dispatch/meter";
    public static final String GROUP_PATH = "/leap/webhooks/dispatch/group";

    public DispatchProperties {
        groupSplit = groupSplit == null ? "nomination" : groupSplit.trim().toLowerCase(Locale.ROOT);
        if (!groupSplit.equals("nomination") && !groupSplit.equals("even")) {
            throw new IllegalArgumentException("hub.dispatch.group-split must be 'nomination' or 'even', got '" + groupSplit + "'");
        }
        voluntaryPolicy = voluntaryPolicy == null ? "send" : voluntaryPolicy.trim().toLowerCase(Locale.ROOT);
        if (!voluntaryPolicy.equals("send") && !voluntaryPolicy.equals("skip")) {
            throw new IllegalArgumentException("hub.dispatch.voluntary-policy must be 'send' or 'skip', got '" + voluntaryPolicy + "'");
        }
    }

    public boolean splitByNomination() {
        return groupSplit.equals("nomination");
    }

    public boolean skipVoluntary() {
        return voluntaryPolicy.equals("skip");
    }

    /** @param secret compared in constant time with the header {@code headerName} (lower-case: Leap lower-cases names) */
    public record Webhook(@DefaultValue("x-api-key") String headerName, String secret,
                          @DefaultValue("1048576") long maxBodyBytes) {
        @Override
        public String toString() {
            return "Webhook[headerName=" + headerName + ", secret=" + (secret == null || secret.isBlank() ? "<unset>" : "***")
                    + ", maxBodyBytes=" + maxBodyBytes + "]";
        }
    }

    /** @param topicTemplate blank = integration/communication test notifications are recorded but never sent to devices */
    public record TestNotifications(String topicTemplate) {
        public boolean enabled() {
            return topicTemplate != null && !topicTemplate.isBlank();
        }
    }

    /**
     * @param windowBefore how far back from now a poll searches (start_date = now - windowBefore)
     * @param windowAfter  how far ahead (end_date = now + windowAfter); both together at most 31 days (Leap's limit)
     * @param pageChunk    search results fed into one transaction
     * @param minGap       a scheduled poll is skipped when any hub sharing the database began one less than this ago
     *                     (several hubs poll Leap once per schedule tick, not once each)
     */
    public record Polling(@DefaultValue("true") boolean enabled, @DefaultValue("0 0/5 * * * ?") String cron,
                          @DefaultValue("P1D") Duration windowBefore, @DefaultValue("P2D") Duration windowAfter,
                          @DefaultValue("true") boolean excludeRealTimeEvents,
                          @DefaultValue("200") int pageChunk, @DefaultValue("PT1M") Duration minGap) {
        public Polling {
            if (minGap.isNegative()) {
                throw new IllegalArgumentException("hub.dispatch.polling.min-gap must not be negative");
            }
            if (windowBefore.isNegative() || windowAfter.isNegative() || windowBefore.plus(windowAfter).isZero()
                    || windowBefore.plus(windowAfter).compareTo(Duration.ofDays(31)) > 0) {
                throw new IllegalArgumentException("hub.dispatch.polling window-before + window-after must be more than 0 and at most 31 days (Leap's search limit)");
            }
            pageChunk = Math.max(1, pageChunk);
        }
    }

    /**
     * @param publicBaseUrl what Leap calls: the hub's public HTTPS base URL (demo: http://127.0.0.1:<server.port>)
     * @param overwrite     replace a different URL already registered at Leap
     */
    public record Registration(@DefaultValue("false") boolean enabled, String publicBaseUrl,
                               @DefaultValue("false") boolean overwrite) {
    }

    /**
     * Group commit of concurrent notifications (DispatchGroupCommit).
     *
     * @param writers  transactions storing notifications at the same time
     * @param maxBatch notifications stored in one transaction at most
     * @param maxWait  how long a request waits for its commit before it is answered 503 (Leap waits 10 s)
     */
    public record Intake(@DefaultValue("2") int writers, @DefaultValue("100") int maxBatch, @DefaultValue("8s") Duration maxWait) {
        public Intake {
            if (writers < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("hub.dispatch.intake writers and max-batch must be at least 1");
            }
        }
    }
}
