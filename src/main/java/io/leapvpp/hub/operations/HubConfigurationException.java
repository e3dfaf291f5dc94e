package io.leapvpp.hub.operations;

import java.util.List;

/** The hub's configuration cannot run as given; the problems are listed for the operator. */
public class HubConfigurationException extends RuntimeException {

    private final List<String> problems;
    private final String action;

    public HubConfigurationException(List<String> problems, String action) {
        super("Invalid hub configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.action = action;
    }

    public List<String> problems() {
        return problems;
    }

    public String action() {
        return action;
    }
}
