package io.leapvpp.hub.sandbox.state;

/** A receiver header as registered by the partner ({@code {name, value}}). */
public record Header(String name, String value) {
}
