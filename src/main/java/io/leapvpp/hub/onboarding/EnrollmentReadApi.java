package io.leapvpp.hub.onboarding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leapvpp.hub.operations.HttpRejection;
import io.leapvpp.hub.operations.HttpReplies;
import io.leapvpp.hub.operations.InboundHttp;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code GET /api/onboarding/enrollments} (routes/47-create-meters-read-api): where each partner enrollment row stands
 * with Leap, newest first; {@code status}, {@code partner_reference} and {@code limit} (1-500, default 100) narrow it.
 */
public class EnrollmentReadApi {

    static final Set<String> STATUSES = Set.of("PENDING", "INVALID", "SUBMITTING", "SUBMITTED", "COMPLETED", "FAILED");

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public EnrollmentReadApi(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public void enrollments(Exchange exchange) {
        Map<String, String> query = InboundHttp.queryParameters(exchange);
        String status = query.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw HttpRejection.badRequest("status must be one of " + STATUSES.stream().sorted().toList());
        }
        int limit = 100;
        if (query.get("limit") != null) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 500) {
                throw HttpRejection.badRequest("limit must be a whole number from 1 to 500");
            }
        }
        StringBuilder sql = new StringBuilder("""
                SELECT e.partner_reference, e.partner_row_id, e.status, e.meter_id::text AS meter_id, e.leap_status,
                       e.status_detail_name, e.status_detail_description, e.status_detail_failed_fields::text AS failed_fields,
                       e.leap_job_id::text AS leap_job_id, e.submitted_update_existing, e.source, e.source_file, e.source_line,
                       e.submitted_at, e.result_at, e.updated_at
                  FROM partner_enrollment e WHERE true""");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" AND e.status = ?");
            args.add(status);
        }
        if (query.get("partner_reference") != null) {
            sql.append(" AND e.partner_reference = ?");
            args.add(query.get("partner_reference"));
        }
        sql.append(" ORDER BY e.updated_at DESC, e.id DESC LIMIT ").append(limit);
        ObjectNode body = mapper.createObjectNode();
        ArrayNode list = body.putArray("enrollments");
        jdbc.query(sql.toString(), rs -> {
            list.add(row(rs));
        }, args.toArray());
        HttpReplies.json(exchange, 200, body.toString());
    }

    private ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode o = mapper.createObjectNode();
        o.put("partner_reference", rs.getString("partner_reference"));
        put(o, "partner_row_id", rs.getString("partner_row_id"));
        o.put("status", rs.getString("status"));
        put(o, "meter_id", rs.getString("meter_id"));
        put(o, "leap_status", rs.getString("leap_status"));
        if (rs.getString("status_detail_name") != null) {
            ObjectNode detail = o.putObject("status_detail");
            detail.put("name", rs.getString("status_detail_name"));
            put(detail, "description", rs.getString("status_detail_description"));
            String failed = rs.getString("failed_fields");
            if (failed != null) {
                try {
                    detail.set("failed_fields", mapper.readTree(failed));
                } catch (JsonProcessingException e) {
                    detail.put("failed_fields", failed);
                }
            }
        }
        put(o, "leap_job_id", rs.getString("leap_job_id"));
        if (rs.getObject("submitted_update_existing") != null) {
            o.put("update_existing", rs.getBoolean("submitted_update_existing"));
        }
        ObjectNode source = o.putObject("source");
        source.put("kind", rs.getString("source"));
        put(source, "file", rs.getString("source_file"));
        if (rs.getObject("source_line") != null) {
            source.put("line", rs.getInt("source_line"));
        }
        time(o, "submitted_at", rs.getTimestamp("submitted_at"));
        time(o, "result_at", rs.getTimestamp("result_at"));
        time(o, "updated_at", rs.getTimestamp("updated_at"));
        return o;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void time(ObjectNode o, String field, Timestamp t) {
        if (t != null) {
            o.put(field, t.toInstant().toString());
        }
    }
}
