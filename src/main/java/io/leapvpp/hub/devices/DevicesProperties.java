package io.leapvpp.hub.devices;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;

/** {@code hub.devices.*}: how device commands, plans and acks travel over MQTT 5 (see docs/device-contract.md). */
@ConfigurationProperties("hub.devices")
public class DevicesProperties {

    /** Where a gateway's commands go; {partner_reference} is replaced (the intake side writes the topic into the outbox). */
    private String commandTopicTemplate = "vpp/{partner_reference}/commands";
    /** The response topic named in every command; the hub subscribes to its wildcard form. */
    private String ackTopicTemplate = "vpp/{partner_reference}/acks";
    /** The retained plan per gateway. */
    private String planTopicTemplate = "vpp/{partner_reference}/plan";
    /** MQTT client id prefix of this instance (stable per instance, unique across instances); blank = host + pid. */
    private String clientId = "";
    /** Shared-subscription group for acks, so several hub instances process each ack once; blank = plain subscription. */
    private String ackShareGroup = "leap-vpp-hub";
    /** How long the broker keeps the ack session (and queues acks) while the hub is disconnected. */
    private Duration ackSessionExpiry = Duration.ofHours(1);
    /** A SENT command without any ack after this long is re-published. */
    private Duration ackTimeout = Duration.ofSeconds(30);
    /** Re-publications after the first publish before the command is FAILED. */
    private int maxResends = 3;
    /** How often SENT commands are checked for a missing ack. */
    private Duration ackCheckInterval = Duration.ofSeconds(5);
    private final Outbox outbox = new Outbox();
    private final Mqtt mqtt = new Mqtt();
    private final Plan plan = new Plan();

    public static class Outbox {
        /** false holds every command in the outbox (maintenance): the publisher routes do not start. */
        private boolean enabled = true;
        /** Backstop poll of the outbox (the LISTEN/NOTIFY wake-up is the fast path). */
        private Duration pollInterval = Duration.ofSeconds(1);
        /** Commands claimed (FOR UPDATE SKIP LOCKED) and published per transaction. */
        private int batchSize = 500;
        /** How long a batch waits for the broker's PUBACKs before giving the unacknowledged ones back. */
        private Duration publishTimeout = Duration.ofSeconds(10);
        /** A command whose publish failed is tried again after this long. */
        private Duration retryDelay = Duration.ofSeconds(2);
        /** How long the LISTEN connection waits before reconnecting after it dropped. */
        private Duration listenReconnectDelay = Duration.ofSeconds(2);
        /** Commands this hub committed that wait in memory to be claimed by id; beyond that a search of the outbox finds them. */
        private int handOverLimit = 20_000;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration v) { pollInterval = v; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int v) { batchSize = v; }
        public Duration getPublishTimeout() { return publishTimeout; }
        public void setPublishTimeout(Duration v) { publishTimeout = v; }
        public Duration getRetryDelay() { return retryDelay; }
        public void setRetryDelay(Duration v) { retryDelay = v; }
        public Duration getListenReconnectDelay() { return listenReconnectDelay; }
        public void setListenReconnectDelay(Duration v) { listenReconnectDelay = v; }
        public int getHandOverLimit() { return handOverLimit; }
        public void setHandOverLimit(int v) { handOverLimit = v; }
    }

    public static class Mqtt {
        /** Unacknowledged QoS 1 publishes at once (capped by the broker's Receive Maximum from CONNACK). */
        private int maxInFlight = 20;
        /** Publishing connections, each with its own in-flight window; a gateway's commands always share one. */
        private int publisherConnections = 2;
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration keepAlive = Duration.ofSeconds(30);

        public int getMaxInFlight() { return maxInFlight; }
        public int getPublisherConnections() { return publisherConnections; }
        public void setPublisherConnections(int v) { publisherConnections = v; }
        public void setMaxInFlight(int v) { maxInFlight = v; }
        public Duration getMaxReconnectDelay() { return maxReconnectDelay; }
        public void setMaxReconnectDelay(Duration v) { maxReconnectDelay = v; }
        public Duration getConnectTimeout() { return connectTimeout; }
        public void setConnectTimeout(Duration v) { connectTimeout = v; }
        public Duration getKeepAlive() { return keepAlive; }
        public void setKeepAlive(Duration v) { keepAlive = v; }
    }

    public static class Plan {
        /** How often plans of gateways whose events have ended since the last publish are refreshed. */
        private Duration refreshInterval = Duration.ofMinutes(1);
        /**
         * A gateway's plan is published at most once per this interval: changes arriving meanwhile are folded into
         * the next publish (under load a busy gateway's plan would otherwise be recomputed for every command batch).
         */
        private Duration minInterval = Duration.ofSeconds(1);

        public Duration getRefreshInterval() { return refreshInterval; }
        public void setRefreshInterval(Duration v) { refreshInterval = v; }
        public Duration getMinInterval() { return minInterval; }
        public void setMinInterval(Duration v) { minInterval = v; }
    }

    /** Hubs started in one JVM (tests) must not share a client id: the broker would keep kicking one off. */
    private static final java.util.concurrent.atomic.AtomicInteger HUBS_IN_THIS_JVM = new java.util.concurrent.atomic.AtomicInteger();
    private String derivedClientId;

    /** The client id prefix actually used: the configured one, else {@code leap-vpp-hub-<host>-<pid>[-n]}. */
    public synchronized String effectiveClientId() {
        if (clientId != null && !clientId.isBlank()) {
            return clientId.trim();
        }
        if (derivedClientId == null) {
            int hub = HUBS_IN_THIS_JVM.incrementAndGet();
            String base = hostPidClientId();
            derivedClientId = hub == 1 ? base : base + "-" + hub;
        }
        return derivedClientId;
    }

    private static String hostPidClientId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String id = "leap-vpp-hub-" + host.replaceAll("[^A-Za-z0-9.-]", "") + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        return id.length() > 60 ? id.substring(id.length() - 60) : id;
    }

    public String commandTopic(String partnerReference) { return commandTopicTemplate.replace("{partner_reference}", partnerReference); }
    public String ackTopic(String partnerReference) { return ackTopicTemplate.replace("{partner_reference}", partnerReference); }
    public String planTopic(String partnerReference) { return planTopicTemplate.replace("{partner_reference}", partnerReference); }

    /** The subscription filter for acks: the template with {partner_reference} as '+', in the share group if any. */
    public String ackSubscription() {
        String filter = ackTopicTemplate.replace("{partner_reference}", "+");
        return ackShareGroup == null || ackShareGroup.isBlank() ? filter : "$share/" + ackShareGroup.trim() + "/" + filter;
    }

    public String getCommandTopicTemplate() { return commandTopicTemplate; }
    public void setCommandTopicTemplate(String v) { commandTopicTemplate = v; }
    public String getAckTopicTemplate() { return ackTopicTemplate; }
    public void setAckTopicTemplate(String v) { ackTopicTemplate = v; }
    public String getPlanTopicTemplate() { return planTopicTemplate; }
    public void setPlanTopicTemplate(String v) { planTopicTemplate = v; }
    public String getClientId() { return clientId; }
    public void setClientId(String v) { clientId = v; }
    public String getAckShareGroup() { return ackShareGroup; }
    public void setAckShareGroup(String v) { ackShareGroup = v; }
    public Duration getAckSessionExpiry() { return ackSessionExpiry; }
    public void setAckSessionExpiry(Duration v) { ackSessionExpiry = v; }
    public Duration getAckTimeout() { return ackTimeout; }
    public void setAckTimeout(Duration v) { ackTimeout = v; }
    public int getMaxResends() { return maxResends; }
    public void setMaxResends(int v) { maxResends = v; }
    public Duration getAckCheckInterval() { return ackCheckInterval; }
    public void setAckCheckInterval(Duration v) { ackCheckInterval = v; }
    public Outbox getOutbox() { return outbox; }
    public Mqtt getMqtt() { return mqtt; }
    public Plan getPlan() { return plan; }
}
