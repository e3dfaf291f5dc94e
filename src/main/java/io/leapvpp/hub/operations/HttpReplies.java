package io.leapvpp.hub.operations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import java.sql.SQLException;

/**
 * Answers of the HTTP routes: JSON with a status, and the 503 a sender gets when the hub could
 * not make its request durable (database unavailable, or anything unexpected): the sender retries,
 * nothing half-stored stays behind because the work ran in one transaction. Never a stack trace.
 */
@Component("httpReplies")
public class HttpReplies {

    private static final Logger log = LoggerFactory.getLogger(HttpReplies.class);

    public static void json(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }

    /** doCatch step for a refused request that is not input worth keeping (e.g. read API): answers {error, detail}. */
    public void rejection(Exchange exchange, String source) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HttpRejection r = caught instanceof HttpRejection h ? h : HttpRejection.badRequest("rejected");
        if (r.status() == 401) {
            log.warn("{}: refused a request from {}: {}", source, exchange.getProperty(InboundHttp.REMOTE_ADDRESS), r.detail());
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("error", r.error());
        node.put("detail", r.detail());
        json(exchange, r.status(), node.toString());
    }

    /** doCatch step for failures that are not the caller's fault: 503 so the sender retries. */
    public void unavailable(Exchange exchange, String source) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean database = isDatabaseFailure(caught);
        if (database) {
            log.warn("{}: database unavailable, answered 503 so the sender retries: {}", source, rootMessage(caught));
        } else {
            log.error("{}: unexpected failure, answered 503 so the sender retries", source, caught);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("error", "unavailable");
        node.put("detail", database ? "the hub cannot store the request right now; retry later"
                : "the hub could not process the request; retry later");
        exchange.getMessage().setHeader("Retry-After", "60");
        json(exchange, 503, node.toString());
    }

    static boolean isDatabaseFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataAccessException || c instanceof SQLException || c instanceof TransactionException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null ? "?" : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
