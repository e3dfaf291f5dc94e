package io.leapvpp.hub.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.dispatch.CommandPlanner.Command;
import io.leapvpp.hub.dispatch.CommandPlanner.InventoryEntry;
import io.leapvpp.hub.dispatch.CommandPlanner.Plan;
import io.leapvpp.hub.dispatch.DispatchNotification.Dispatch;
import io.leapvpp.hub.dispatch.DispatchNotification.Timeslot;
import io.leapvpp.hub.devices.DeviceOutbox.OutboxCommand;
import io.leapvpp.hub.devices.OutboxWakeups;
import io.leapvpp.hub.operations.SqlArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The durable, idempotent heart of dispatch intake. In ONE transaction: the notification
 * ({@code dispatch_notification}), each timeslot's event state ({@code dispatch_event}) and version
 * history ({@code dispatch_event_version}), and the device commands in the outbox
 * ({@code device_command}, PENDING). On commit the commands are handed to this hub's outbox publisher
 * in memory ({@link OutboxWakeups#commandsWritten}); their insert also notifies {@code device_command_due},
 * for the publishers of the other hubs sharing the database. The caller acknowledges only after this returns.
 *
 * <p>Idempotency: a content hash of a timeslot's values (with its meter/group and references)
 * decides. Same hash: nothing changes, no command. New event: version 1. Changed: version n+1, the
 * event's PENDING commands become SUPERSEDED, new commands. Existing events are locked
 * ({@code SELECT … FOR UPDATE}, in event-id order) and new ones inserted with
 * {@code ON CONFLICT DO NOTHING}, so two requests carrying the same event at once cannot create two
 * versions: the loser of an insert race re-reads the locked row. Webhook timeslots are inserted before
 * anything is locked (they are mostly new); the ones that existed take the insert-race path. The writes
 * are JDBC batches, but the device commands (up to one per meter of a group) go in one statement over arrays.
 */
@Component("dispatchIntake")
public class DispatchIntake {

    private static final Logger log = LoggerFactory.getLogger(DispatchIntake.class);
    private static final int ATTEMPTS = 3;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CommandPlanner planner;
    private final ObjectMapper json;
    private final Clock clock;
    private final DispatchGroupCommit groupCommit;
    private final ObjectProvider<OutboxWakeups> outboxWakeups;

    public DispatchIntake(JdbcTemplate jdbc, TransactionTemplate tx, CommandPlanner planner, ObjectMapper json,
                          DispatchProperties properties, ObjectProvider<OutboxWakeups> outboxWakeups) {
        this.outboxWakeups = outboxWakeups;
        this.jdbc = jdbc;
        this.tx = tx;
        this.planner = planner;
        this.json = json;
        this.clock = Clock.systemUTC();
        DispatchProperties.Intake intake = properties.intake();
        this.groupCommit = new DispatchGroupCommit(this::acceptAll, intake.writers(), intake.maxBatch(), intake.maxWait());
    }

    @jakarta.annotation.PreDestroy
    void close() {
        groupCommit.close();
    }

    /** What one notification changed; the webhook answers it as JSON. */
    public record Result(int received, int created, int updated, int unchanged, int commands, Long notificationId) {
    }

    /** A notification to accept, with where it came from (WEBHOOK, or POLL: stored only when something changed). */
    record Intake(DispatchNotification notification, String source) {
    }

    /** One timeslot with its dispatch, deduplicated by event id (the last occurrence in a notification wins). */
    private record Slot(int item, Dispatch dispatch, Timeslot timeslot, boolean test, String hash) {
        UUID id() {
            return timeslot.eventId();
        }
    }

    private record Existing(int version, String hash) {
    }

    /** Per-notification counts while a transaction works on several notifications. */
    private static final class Tally {
        final Intake intake;
        Long notificationId;
        int created;
        int updated;
        int unchanged;
        int commands;

        Tally(Intake intake) {
            this.intake = intake;
        }

        Result result() {
            return new Result(intake.notification().timeslotCount(), created, updated, unchanged, commands, notificationId);
        }
    }

    /**
     * Accepts one notification durably: returns once it is committed, together with the other notifications that
     * arrived meanwhile (group commit, {@link DispatchGroupCommit}).
     *
     * @param source WEBHOOK or POLL; POLL stores the notification only when something changed
     */
    public Result accept(DispatchNotification notification, String source) {
        return groupCommit.accept(new Intake(notification, source));
    }

    /** Accepts the notifications in order, in ONE transaction; the whole transaction runs again after a lost lock race. */
    List<Result> acceptAll(List<Intake> intakes) {
        for (int attempt = 1; ; attempt++) {
            try {
                boolean firstAttempt = attempt == 1;
                return tx.execute(status -> acceptInTransaction(intakes, firstAttempt));
            } catch (ConcurrencyFailureException e) {
                // a deadlock between two transactions touching the same events in different phases: run again
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                log.debug("Dispatch intake attempt {} lost a lock race, retrying: {}", attempt, e.getMessage());
            }
        }
    }

    /** @param firstAttempt webhook rounds may insert before locking (see {@link #acceptRound}); a retry locks first */
    private List<Result> acceptInTransaction(List<Intake> intakes, boolean firstAttempt) {
        List<Tally> tallies = intakes.stream().map(Tally::new).toList();
        // notifications that touch the same event are worked on in separate rounds, in arrival order, so each round
        // sees every event at most once and a later notification sees what an earlier one wrote
        List<List<Slot>> rounds = new ArrayList<>();
        List<Slot> round = new ArrayList<>();
        Set<UUID> roundIds = new java.util.HashSet<>();
        List<Tally> webhooks = new ArrayList<>();
        Set<Integer> polled = new java.util.HashSet<>();
        for (int i = 0; i < intakes.size(); i++) {
            DispatchNotification n = intakes.get(i).notification();
            Map<UUID, Slot> slots = new TreeMap<>();
            for (Dispatch d : n.dispatches()) {
                for (Timeslot t : d.timeslots()) {
                    boolean test = n.integrationTest() || n.communicationTest() || t.communicationTest();
                    slots.put(t.eventId(), new Slot(i, d, t, test, hash(n.kind(), d, t, test)));
                }
            }
            if (slots.keySet().stream().anyMatch(roundIds::contains)) {
                rounds.add(round);
                round = new ArrayList<>();
                roundIds = new java.util.HashSet<>();
            }
            round.addAll(slots.values());
            roundIds.addAll(slots.keySet());
            if ("POLL".equals(intakes.get(i).source())) {
                polled.add(i);
            } else {
                webhooks.add(tallies.get(i));
            }
        }
        rounds.add(round);
        insertNotifications(webhooks);
        for (List<Slot> r : rounds) {
            if (!r.isEmpty()) {
                boolean insertFirst = firstAttempt && r.stream().noneMatch(s -> polled.contains(s.item()));
                acceptRound(r, tallies, insertFirst);
            }
        }
        return tallies.stream().map(Tally::result).toList();
    }

    /**
     * Slots with distinct event ids.
     *
     * @param insertFirst most webhook timeslots are new events: insert them all ({@code ON CONFLICT DO NOTHING}) without
     *                    locking first, one statement less; those that exist take the same path as a lost insert race
     *                    (locked, then compared). Polled rounds are mostly known events and lock first.
     */
    private void acceptRound(List<Slot> round, List<Tally> tallies, boolean insertFirst) {
        round.sort(java.util.Comparator.comparing(Slot::id)); // event-id order = lock order
        Map<UUID, Existing> existing = insertFirst ? new HashMap<>()
                : lockExisting(round.stream().map(Slot::id).collect(Collectors.toCollection(java.util.TreeSet::new)));
        List<Slot> fresh = new ArrayList<>();
        List<Slot> changed = new ArrayList<>();
        for (Slot s : round) {
            Existing e = existing.get(s.id());
            if (e == null) {
                fresh.add(s);
            } else if (e.hash().equals(s.hash())) {
                tallies.get(s.item()).unchanged++;
            } else {
                changed.add(s);
            }
        }
        if (fresh.isEmpty() && changed.isEmpty()) {
            return;
        }
        // a polled notification is stored only when it changes something
        insertNotifications(java.util.stream.Stream.concat(fresh.stream(), changed.stream()).map(s -> tallies.get(s.item()))
                .distinct().filter(t -> t.notificationId == null).toList());

        Instant now = clock.instant();
        List<Slot> toPlan = new ArrayList<>(fresh);
        toPlan.addAll(changed);
        Map<UUID, InventoryEntry> inventory = inventoryFor(toPlan);

        // new events: version 1, unless another transaction inserted the same event meanwhile
        Map<UUID, Plan> plans = new HashMap<>();
        List<Slot> created = new ArrayList<>();
        if (!fresh.isEmpty()) {
            for (Slot s : fresh) {
                plans.put(s.id(), plan(s, 1, inventory, now, tallies));
            }
            int[] counts = insertEvents(fresh, plans, tallies);
            List<Slot> raced = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                (counts[i] == 0 ? raced : created).add(fresh.get(i));
            }
            if (!raced.isEmpty()) {
                Map<UUID, Existing> now2 = lockExisting(raced.stream().map(Slot::id).collect(Collectors.toCollection(java.util.TreeSet::new)));
                for (Slot s : raced) {
                    Existing e = now2.get(s.id());
                    if (e != null && e.hash().equals(s.hash())) {
                        tallies.get(s.item()).unchanged++;
                    } else if (e != null) {
                        existing.put(s.id(), e);
                        changed.add(s);
                    }
                }
            }
        }
        Map<UUID, Integer> versions = new HashMap<>();
        created.forEach(s -> versions.put(s.id(), 1));
        if (!changed.isEmpty()) {
            for (Slot s : changed) {
                int version = existing.get(s.id()).version() + 1;
                versions.put(s.id(), version);
                plans.put(s.id(), plan(s, version, inventory, now, tallies));
            }
            updateEvents(changed, plans, versions, tallies);
            // "status || ''" keeps the planner on the event's index: the partial index of PENDING commands looks tiny to it
            // but holds an entry for every command once PENDING until VACUUM (DeviceOutbox), 4 ms a statement at 460,000
            jdbc.batchUpdate("UPDATE device_command SET status = 'SUPERSEDED', updated_at = now() WHERE event_id = ? AND status || '' = 'PENDING'",
                    changed, changed.size(), (ps, s) -> ps.setObject(1, s.id()));
        }
        created.forEach(s -> tallies.get(s.item()).created++);
        changed.forEach(s -> tallies.get(s.item()).updated++);

        List<Slot> written = new ArrayList<>(created);
        written.addAll(changed);
        insertVersions(written, versions, tallies);
        List<Command> commands = new ArrayList<>();
        Map<String, Integer> commandVersion = new HashMap<>();
        Map<String, UUID> commandEvent = new HashMap<>();
        for (Slot s : written) {
            Plan plan = plans.get(s.id());
            for (Command c : plan.commands()) {
                commands.add(c);
                commandVersion.put(c.commandId(), versions.get(s.id()));
                commandEvent.put(c.commandId(), s.id());
            }
            tallies.get(s.item()).commands += plan.commands().size();
            if (!plan.unresolvedMeterIds().isEmpty()) {
                log.warn("Dispatch event {} ({}): {} meter(s) not resolved to a partner_reference, no command for them: {}",
                        s.id(), kind(s, tallies), plan.unresolvedMeterIds().size(), abbreviate(plan.unresolvedMeterIds()));
            }
        }
        if (!commands.isEmpty()) {
            insertCommands(commands, commandEvent, commandVersion);
        }
    }

    private Plan plan(Slot s, int version, Map<UUID, InventoryEntry> inventory, Instant now, List<Tally> tallies) {
        return planner.plan(kind(s, tallies), s.dispatch(), s.timeslot(), s.test(), version, inventory, now);
    }

    private static DispatchKind kind(Slot s, List<Tally> tallies) {
        return tallies.get(s.item()).intake.notification().kind();
    }

    /** Stores the notifications (one batch) and keeps their ids. */
    private void insertNotifications(List<Tally> tallies) {
        if (tallies.isEmpty()) {
            return;
        }
        jdbc.execute((java.sql.Connection con) -> {
            try (PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO dispatch_notification (kind, source, integration_test, communication_test, body)
                    VALUES (?, ?, ?, ?, CAST(? AS jsonb))""", new String[] {"id"})) {
                for (Tally t : tallies) {
                    DispatchNotification n = t.intake.notification();
                    ps.setString(1, n.kind().name());
                    ps.setString(2, t.intake.source());
                    ps.setBoolean(3, n.integrationTest());
                    ps.setBoolean(4, n.communicationTest());
                    ps.setString(5, n.body());
                    ps.addBatch();
                }
                ps.executeBatch();
                try (java.sql.ResultSet keys = ps.getGeneratedKeys()) {
                    for (Tally t : tallies) {
                        if (!keys.next()) {
                            throw new IllegalStateException("the database returned fewer notification ids than rows inserted");
                        }
                        t.notificationId = keys.getLong(1);
                    }
                }
            }
            return null;
        });
    }

    private Map<UUID, Existing> lockExisting(Set<UUID> ids) {
        Map<UUID, Existing> out = new HashMap<>();
        jdbc.query(SqlArrays.statement("""
                SELECT e.event_id, e.version, e.content_hash
                  FROM unnest(?::uuid[]) AS ids(event_id) JOIN dispatch_event e USING (event_id)
                 ORDER BY e.event_id FOR UPDATE OF e""", "uuid", ids), rs -> {
            out.put(rs.getObject(1, UUID.class), new Existing(rs.getInt(2), rs.getString(3)));
        });
        return out;
    }

    /** meter_inventory rows for group meters and for meter dispatches that came without partner_reference. */
    private Map<UUID, InventoryEntry> inventoryFor(List<Slot> slots) {
        Set<UUID> ids = new java.util.HashSet<>();
        for (Slot s : slots) {
            if (s.dispatch().marketGroupId() != null) {
                ids.addAll(s.dispatch().meterIds());
            } else if (s.dispatch().partnerReference() == null) {
                ids.add(s.dispatch().meterId());
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, InventoryEntry> out = new HashMap<>();
        jdbc.query(SqlArrays.statement("""
                SELECT m.meter_id, m.partner_reference, m.nomination_kw
                  FROM unnest(?::uuid[]) AS ids(meter_id) JOIN meter_inventory m USING (meter_id)
                 WHERE NOT m.is_archived""", "uuid", ids), rs -> {
            UUID id = rs.getObject(1, UUID.class);
            out.put(id, new InventoryEntry(id, rs.getString(2), rs.getBigDecimal(3)));
        });
        return out;
    }

    private static final String EVENT_COLUMNS = """
            kind, meter_id, market_group_id, partner_reference, start_time, end_time, cancelled, energy_kw, nomination_kw,
            priority, is_voluntary, performance_compensation_cap, dispatch_event_types, programs, test, content_hash, state,
            note, unresolved_meter_ids, meter_ids""";

    private int[] insertEvents(List<Slot> slots, Map<UUID, Plan> plans, List<Tally> tallies) {
        return jdbc.batchUpdate("INSERT INTO dispatch_event (event_id, version, " + EVENT_COLUMNS + """
                ) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?,
                          CAST(? AS jsonb), CAST(? AS jsonb))
                ON CONFLICT (event_id) DO NOTHING""", new org.springframework.jdbc.core.BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                Slot s = slots.get(i);
                ps.setObject(1, s.id());
                setEventValues(ps, 2, kind(s, tallies), s, plans.get(s.id()));
            }

            @Override
            public int getBatchSize() {
                return slots.size();
            }
        });
    }

    private void updateEvents(List<Slot> slots, Map<UUID, Plan> plans, Map<UUID, Integer> versions, List<Tally> tallies) {
        jdbc.batchUpdate("""
                UPDATE dispatch_event SET (""" + EVENT_COLUMNS + """
                ) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb)),
                    version = ?, updated_at = now()
                WHERE event_id = ?""", slots, slots.size(), (ps, s) -> {
            int next = setEventValues(ps, 1, kind(s, tallies), s, plans.get(s.id()));
            ps.setInt(next, versions.get(s.id()));
            ps.setObject(next + 1, s.id());
        });
    }

    /** Sets the EVENT_COLUMNS values from index {@code i}; returns the next free index. */
    private int setEventValues(PreparedStatement ps, int i, DispatchKind kind, Slot s, Plan plan) throws SQLException {
        Dispatch d = s.dispatch();
        Timeslot t = s.timeslot();
        ps.setString(i++, kind.name());
        ps.setObject(i++, d.meterId());
        ps.setObject(i++, d.marketGroupId());
        ps.setString(i++, kind == DispatchKind.METER ? d.partnerReference() : null);
        ps.setObject(i++, OffsetDateTime.ofInstant(t.start(), ZoneOffset.UTC));
        ps.setObject(i++, OffsetDateTime.ofInstant(t.end(), ZoneOffset.UTC));
        ps.setBoolean(i++, t.cancelled());
        ps.setBigDecimal(i++, t.energyKw());
        ps.setBigDecimal(i++, t.nominationKw());
        ps.setInt(i++, t.priority());
        ps.setBoolean(i++, t.voluntary());
        ps.setString(i++, t.performanceCompensationCap());
        ps.setString(i++, jsonArray(t.dispatchEventTypes()));
        ps.setString(i++, jsonArray(t.programs()));
        ps.setBoolean(i++, s.test());
        ps.setString(i++, s.hash());
        ps.setString(i++, plan.state());
        if (plan.note() == null) {
            ps.setNull(i++, Types.VARCHAR);
        } else {
            ps.setString(i++, plan.note());
        }
        ps.setString(i++, jsonArray(plan.unresolvedMeterIds().stream().map(UUID::toString).toList()));
        ps.setString(i++, jsonArray(d.meterIds().stream().map(UUID::toString).toList()));
        return i;
    }

    private void insertVersions(List<Slot> slots, Map<UUID, Integer> versions, List<Tally> tallies) {
        jdbc.batchUpdate("""
                INSERT INTO dispatch_event_version (event_id, version, notification_id, source, timeslot)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb))""", slots, slots.size(), (ps, s) -> {
            ps.setObject(1, s.id());
            ps.setInt(2, versions.get(s.id()));
            Tally t = tallies.get(s.item());
            ps.setObject(3, t.notificationId);
            ps.setString(4, t.intake.source());
            ps.setString(5, versionJson(s));
        });
    }

    private void insertCommands(List<Command> commands, Map<String, UUID> events, Map<String, Integer> versions) {
        List<OutboxCommand> outbox = commands.stream()
                .map(c -> new OutboxCommand(c.commandId(), c.partnerReference(), c.topic(), c.payload().toString(), c.expiresAt()))
                .toList();
        // one statement over arrays, not a JDBC batch: a 10,000-meter group's commands took 790 ms as batched single-row
        // inserts and 500 ms so (docs/benchmarks.md); the message (topic, payload) and the state go to tables of their own
        // (V44), in this one statement. Should the arrays carry a command twice, ON CONFLICT writes one state row and
        // DISTINCT ON one message for it (a second message for the id would fail the whole notification).
        jdbc.update(con -> {
            java.sql.PreparedStatement ps = con.prepareStatement("""
                    WITH c AS (SELECT * FROM unnest(?::text[], ?::uuid[], ?::int[], ?::uuid[], ?::text[], ?::text[], ?::text[],
                                                    ?::jsonb[], ?::timestamptz[])
                                   AS c(command_id, event_id, event_version, meter_id, partner_reference, action, topic, payload,
                                        expires_at)),
                         state AS (INSERT INTO device_command (command_id, event_id, event_version, meter_id, partner_reference,
                                                               action, expires_at, status)
                                   SELECT command_id, event_id, event_version, meter_id, partner_reference, action, expires_at,
                                          'PENDING'
                                     FROM c
                                   ON CONFLICT (command_id) DO NOTHING
                                   RETURNING id, command_id)
                    INSERT INTO device_command_message (id, topic, payload)
                    SELECT DISTINCT ON (state.id) state.id, c.topic, c.payload
                      FROM state JOIN c ON c.command_id = state.command_id""");
            ps.setArray(1, con.createArrayOf("text", commands.stream().map(Command::commandId).toArray()));
            ps.setArray(2, con.createArrayOf("uuid", commands.stream().map(c -> events.get(c.commandId())).toArray()));
            ps.setArray(3, con.createArrayOf("int4", commands.stream().map(c -> versions.get(c.commandId())).toArray()));
            ps.setArray(4, con.createArrayOf("uuid", commands.stream().map(Command::meterId).toArray()));
            ps.setArray(5, con.createArrayOf("text", commands.stream().map(Command::partnerReference).toArray()));
            ps.setArray(6, con.createArrayOf("text", commands.stream().map(Command::action).toArray()));
            ps.setArray(7, con.createArrayOf("text", commands.stream().map(Command::topic).toArray()));
            ps.setArray(8, con.createArrayOf("text", outbox.stream().map(OutboxCommand::payload).toArray()));
            ps.setArray(9, con.createArrayOf("text", commands.stream().map(c -> c.expiresAt().toString()).toArray()));
            return ps;
        });
        outboxWakeups.ifAvailable(w -> w.commandsWritten(backendPid(), outbox));
    }

    /** The PostgreSQL backend of this transaction's connection (known to the driver since it connected). */
    private int backendPid() {
        return jdbc.execute((java.sql.Connection con) -> con.unwrap(org.postgresql.PGConnection.class).getBackendPID());
    }

    /** The history row: the timeslot as received plus the meter/group it belongs to. */
    private String versionJson(Slot s) {
        ObjectNode v = json.createObjectNode();
        Dispatch d = s.dispatch();
        if (d.meterId() != null) {
            v.put("meter_id", d.meterId().toString());
            if (d.partnerReference() != null) {
                v.put("partner_reference", d.partnerReference());
            }
        } else {
            v.put("market_group_id", d.marketGroupId().toString());
            v.put("meter_count", d.meterIds().size());
        }
        v.put("test", s.test());
        v.setAll(s.timeslot().raw());
        return v.toString();
    }

    private String jsonArray(List<String> values) {
        ArrayNode a = json.createArrayNode();
        values.forEach(a::add);
        return a.toString();
    }

    /**
     * SHA-256 over a canonical form of everything that, when it changes, must reach the device:
     * the timeslot's values (numbers without trailing zeros, instants in UTC), the meter or group
     * with its meter ids and partner references, and the test flag.
     */
    static String hash(DispatchKind kind, Dispatch d, Timeslot t, boolean test) {
        StringBuilder b = new StringBuilder(256);
        b.append(kind).append('|').append(d.meterId()).append('|').append(d.partnerReference())
                .append('|').append(d.marketGroupId()).append('|').append(d.meterIds()).append('|').append(d.partnerReferences())
                .append('|').append(t.eventId()).append('|').append(t.start()).append('|').append(t.end())
                .append('|').append(t.cancelled()).append('|').append(plain(t.energyKw())).append('|').append(plain(t.nominationKw()))
                .append('|').append(t.priority()).append('|').append(t.voluntary()).append('|').append(t.performanceCompensationCap())
                .append('|').append(t.dispatchEventTypes()).append('|').append(t.programs()).append('|').append(test);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plain(BigDecimal v) {
        return v == null ? "null" : v.stripTrailingZeros().toPlainString();
    }

    private static String abbreviate(List<UUID> ids) {
        return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " … (" + ids.size() + ")";
    }

}
