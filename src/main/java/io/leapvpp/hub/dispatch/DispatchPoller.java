package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.dispatch.DispatchNotification.Dispatch;
import io.leapvpp.hub.leap.LeapClient;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.RejectedInputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The polling backstop (routes/22-dispatch-polling.camel.yaml): searches Leap's meter and group
 * dispatches over the rolling window, pages through every result (the LeapClient pages) and feeds
 * them, in chunks, into the same idempotent {@link DispatchIntake} as the webhooks (source POLL):
 * an event already received by webhook changes nothing; one whose webhook never arrived is stored
 * and commanded. A result that violates the schema is kept in hub_rejected_input and skipped.
 *
 * <p>Hubs sharing the database take turns at the scheduled polls ({@link #takeTurn()}), so Leap is searched once
 * per tick, not once per hub; a second poll would change nothing, it would only cost Leap calls.
 */
@Component("dispatchPoller")
public class DispatchPoller {

    private static final Logger log = LoggerFactory.getLogger(DispatchPoller.class);

    private final LeapClient leap;
    private final DispatchIntake intake;
    private final DispatchNotificationParser parser;
    private final DispatchProperties properties;
    private final RejectedInputs rejected;
    private final ObjectMapper json;
    private final JdbcTemplate jdbc;
    private final Clock clock = Clock.systemUTC();
    private final String hubName = ManagementFactory.getRuntimeMXBean().getName();

    public DispatchPoller(LeapClient leap, DispatchIntake intake, DispatchNotificationParser parser,
                          DispatchProperties properties, RejectedInputs rejected, ObjectMapper json, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.leap = leap;
        this.intake = intake;
        this.parser = parser;
        this.properties = properties;
        this.rejected = rejected;
        this.json = json;
    }

    public record Totals(int results, int timeslots, int created, int updated, int unchanged, int commands, int rejected) {
        Totals plus(DispatchIntake.Result r) {
            return new Totals(results, timeslots + r.received(), created + r.created(), updated + r.updated(),
                    unchanged + r.unchanged(), commands + r.commands(), rejected);
        }
    }

    /**
     * Claims this scheduled poll for this hub: true unless a hub sharing the database began one less than
     * {@code hub.dispatch.polling.min-gap} ago. One conditional UPDATE: of two hubs claiming at once, the second
     * waits for the first's row lock, then sees its claim, so never both win a turn.
     */
    public boolean takeTurn() {
        int claimed = jdbc.update("""
                UPDATE dispatch_poll_turn SET claimed_at = now(), claimed_by = ?
                 WHERE id = 1 AND claimed_at <= now() - make_interval(secs => ?)""",
                hubName, properties.polling().minGap().toMillis() / 1000.0);
        if (claimed == 0) {
            log.info("Dispatch poll skipped: a hub sharing the database began one less than {} ago", properties.polling().minGap());
            return false;
        }
        return true;
    }

    /** One poll of both searches; returns the totals (also logged). */
    public Totals poll() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode filter = json.createObjectNode();
        filter.put("start_date", now.minus(properties.polling().windowBefore()).toString());
        filter.put("end_date", now.plus(properties.polling().windowAfter()).toString());
        filter.put("exclude_real_time_events", properties.polling().excludeRealTimeEvents());
        Totals meter;
        try (Stream<JsonNode> results = leap.streamMeterDispatches(filter.deepCopy())) {
            meter = feed(DispatchKind.METER, results.iterator());
        }
        Totals group;
        try (Stream<JsonNode> results = leap.streamGroupDispatches(filter.deepCopy())) {
            group = feed(DispatchKind.GROUP, results.iterator());
        }
        Totals all = new Totals(meter.results + group.results, meter.timeslots + group.timeslots,
                meter.created + group.created, meter.updated + group.updated, meter.unchanged + group.unchanged,
                meter.commands + group.commands, meter.rejected + group.rejected);
        log.info("Dispatch poll {} .. {}: {} results, {} timeslots: {} new, {} updated, {} unchanged, {} commands, {} rejected",
                filter.get("start_date").asText(), filter.get("end_date").asText(), all.results, all.timeslots,
                all.created, all.updated, all.unchanged, all.commands, all.rejected);
        return all;
    }

    private Totals feed(DispatchKind kind, Iterator<JsonNode> results) {
        Totals totals = new Totals(0, 0, 0, 0, 0, 0, 0);
        List<JsonNode> chunk = new ArrayList<>();
        int index = 0;
        int rejectedCount = 0;
        while (results.hasNext()) {
            chunk.add(results.next());
            if (chunk.size() >= properties.polling().pageChunk()) {
                int[] r = new int[1];
                totals = feedChunk(kind, chunk, index, totals, r);
                rejectedCount += r[0];
                index += chunk.size();
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            int[] r = new int[1];
            totals = feedChunk(kind, chunk, index, totals, r);
            rejectedCount += r[0];
            index += chunk.size();
        }
        return new Totals(index, totals.timeslots, totals.created, totals.updated, totals.unchanged, totals.commands, rejectedCount);
    }

    private Totals feedChunk(DispatchKind kind, List<JsonNode> items, int offset, Totals totals, int[] rejectedOut) {
        List<Dispatch> dispatches = new ArrayList<>(items.size());
        ArrayNode accepted = json.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                dispatches.add(parser.parseSearchResult(kind, item, "results[" + (offset + i) + "]"));
                accepted.add(item);
            } catch (HttpRejection e) {
                rejectedOut[0]++;
                byte[] body = item.toString().getBytes(StandardCharsets.UTF_8);
                rejected.store("dispatch-poll-" + kind.name().toLowerCase(), e.error(), e.detail(), body, body.length, null);
                log.warn("Dispatch poll: skipped an invalid {} search result: {}", kind, e.detail());
            }
        }
        if (dispatches.isEmpty()) {
            return totals;
        }
        ObjectNode body = json.createObjectNode();
        body.put("integration_test_notification", false);
        body.put("communication_test", false);
        body.set(kind.listField(), accepted);
        DispatchNotification notification = new DispatchNotification(kind, false, false, List.copyOf(dispatches), body.toString());
        return totals.plus(intake.accept(notification, "POLL"));
    }
}
