package io.leapvpp.hub.dispatch;

/** Meter-level ({@code meter_dispatches}, keyed by meter_event_id) or market-group dispatch ({@code group_dispatches}, market_group_event_id). */
public enum DispatchKind {
    METER("meter_dispatches", "meter_event_id"),
    GROUP("group_dispatches", "market_group_event_id");

    private final String listField;
    private final String eventIdField;

    DispatchKind(String listField, String eventIdField) {
        this.listField = listField;
        this.eventIdField = eventIdField;
    }

    public String listField() {
        return listField;
    }

    public String eventIdField() {
        return eventIdField;
    }
}
