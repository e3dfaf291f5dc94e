package io.leapvpp.hub.devices;

/** An ack that is not the documented JSON ({@code docs/device-contract/ack.schema.json}). */
public class InvalidDeviceAckException extends RuntimeException {

    private final String reason;

    public InvalidDeviceAckException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    /** Short machine-readable reason, stored in hub_rejected_input.reason. */
    public String getReason() {
        return reason;
    }
}
