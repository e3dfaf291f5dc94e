package io.leapvpp.hub.operations;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link HubConfigurationException} into a plain report instead of a stack trace. */
public class HubConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<HubConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HubConfigurationException cause) {
        String description = "The hub refused to start:\n  - " + String.join("\n  - ", cause.problems());
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
