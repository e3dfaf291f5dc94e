package io.leapvpp.hub.sandbox.core;

import io.leapvpp.hub.sandbox.SandboxSettings;
import io.leapvpp.hub.sandbox.push.DeliveryLog;
import io.leapvpp.hub.sandbox.push.WebhookPusher;
import io.leapvpp.hub.sandbox.state.BatchJobStore;
import io.leapvpp.hub.sandbox.state.DispatchStore;
import io.leapvpp.hub.sandbox.state.Faults;
import io.leapvpp.hub.sandbox.state.MeterSeeder;
import io.leapvpp.hub.sandbox.state.MeterStore;
import io.leapvpp.hub.sandbox.state.RequestLog;
import io.leapvpp.hub.sandbox.state.WebhookRegistry;

import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/** Everything the sandbox knows, plus the behaviour that changes it. Tests reach it through {@code LeapSandbox.state()}. */
public final class SandboxState {

    private final SandboxSettings settings;
    private final MeterStore meters = new MeterStore();
    private final DispatchStore dispatches = new DispatchStore();
    private final WebhookRegistry webhooks = new WebhookRegistry();
    private final BatchJobStore jobs = new BatchJobStore();
    private final Faults faults = new Faults();
    private final RequestLog requests;
    private final DeliveryLog deliveries = new DeliveryLog();
    private final WebhookPusher pusher;
    private final PlatformEvents platformEvents;
    private final Dispatcher dispatcher;
    private final MeterJobs meterJobs;
    private final ConnectSessions connectSessions;
    private final ScheduledExecutorService scheduler;
    private Random random;

    public SandboxState(SandboxSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.requests = new RequestLog(settings.requestLogCapacity());
        this.pusher = new WebhookPusher(settings, scheduler, deliveries);
        this.platformEvents = new PlatformEvents(webhooks, pusher);
        this.dispatcher = new Dispatcher(dispatches, webhooks, pusher);
        this.meterJobs = new MeterJobs(settings, scheduler, jobs, meters, platformEvents);
        this.connectSessions = new ConnectSessions(settings, scheduler, meters, platformEvents);
        reset();
    }

    /** Back to the seeded state: seeded meters only, no webhooks, jobs, dispatches, Connect sessions, logs, injected faults. */
    public synchronized void reset() {
        meters.load(MeterSeeder.generate(settings.meters(), settings.seed()));
        dispatches.clear();
        webhooks.clear();
        jobs.clear();
        requests.clear();
        deliveries.clear();
        faults.clear();
        connectSessions.clear();
        random = new Random(settings.seed());
    }

    public SandboxSettings settings() { return settings; }
    public MeterStore meters() { return meters; }
    public DispatchStore dispatches() { return dispatches; }
    public WebhookRegistry webhooks() { return webhooks; }
    public BatchJobStore jobs() { return jobs; }
    public Faults faults() { return faults; }
    public RequestLog requests() { return requests; }
    public DeliveryLog deliveries() { return deliveries; }
    public WebhookPusher pusher() { return pusher; }
    public PlatformEvents platformEvents() { return platformEvents; }
    public Dispatcher dispatcher() { return dispatcher; }
    public MeterJobs meterJobs() { return meterJobs; }
    public ConnectSessions connectSessions() { return connectSessions; }
    public ScheduledExecutorService scheduler() { return scheduler; }
    public synchronized Random random() { return random; }
}
