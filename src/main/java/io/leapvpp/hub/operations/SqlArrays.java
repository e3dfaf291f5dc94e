package io.leapvpp.hub.operations;

import org.springframework.jdbc.core.PreparedStatementCreator;

import java.sql.PreparedStatement;
import java.util.Collection;

/**
 * A statement about many rows at once (a batch of device commands, a group's meters) takes their keys as one SQL
 * array parameter, and joins it as a table: {@code FROM unnest(?::uuid[]) AS ids(event_id) JOIN dispatch_event USING
 * (event_id)}, not {@code WHERE event_id = ANY(?)}.
 *
 * <p>Why: after a few executions on a connection PostgreSQL may keep a generic plan for the statement. If that plan
 * was made while the table was small it scans the table, and {@code = ANY($1)} then compares every row with every
 * element (PostgreSQL hashes the array only when it is a literal): the outbox marking 500 commands SENT took
 * 190–290 ms on one connection and 20–30 ms on another in the device bench, and a seq-scan plan of it took 137 ms on
 * a 10,000-row table where the join took 13 ms. Joined, each element costs one hash or index probe whatever plan
 * is kept.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** The statement with {@code values} bound as its only parameter, an array of {@code elementType} (text, uuid, bigint). */
    public static PreparedStatementCreator statement(String sql, String elementType, Collection<?> values) {
        return con -> {
            PreparedStatement ps = con.prepareStatement(sql);
            ps.setArray(1, con.createArrayOf(elementType, values.toArray()));
            return ps;
        };
    }
}
