package io.leapvpp.hub.operations;

import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A route file in routes/ that does not parse stops the hub (no route is ever silently missing);
 * this names the file, line and column instead of leaving them deep in a stack trace.
 */
public class RouteFileFailureAnalyzer extends AbstractFailureAnalyzer<MarkedYamlEngineException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MarkedYamlEngineException cause) {
        String where = cause.getProblemMark()
                .map(mark -> mark.getName() + ", line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
                .orElse("unknown location");
        String description = "A route file could not be loaded: " + where + "\n"
                + cause.getMessage();
        return new FailureAnalysis(description,
                "Fix the route file at the line shown (YAML indentation and the Camel YAML DSL keys), then start the hub again.",
                cause);
    }
}
