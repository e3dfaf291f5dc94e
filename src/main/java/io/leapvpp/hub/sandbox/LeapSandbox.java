package io.leapvpp.hub.sandbox;

import io.leapvpp.hub.sandbox.core.SandboxState;
import io.leapvpp.hub.sandbox.web.ConnectSessionController;
import io.leapvpp.hub.sandbox.web.ControlController;
import io.leapvpp.hub.sandbox.web.CreateMetersController;
import io.leapvpp.hub.sandbox.web.DispatchController;
import io.leapvpp.hub.sandbox.web.MeterController;
import io.leapvpp.hub.sandbox.web.SandboxServerConfiguration;
import io.leapvpp.hub.sandbox.web.SandboxWebMvcConfiguration;
import io.leapvpp.hub.sandbox.web.WebhookSubscriptionController;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A stateful imitation of Leap's partner API served over real HTTP from its own, isolated Spring MVC context and
 * embedded Tomcat (never a child of the hub's context, never built with SpringApplication so the hub's logging and
 * application.yaml are untouched).
 */
public final class LeapSandbox implements AutoCloseable {

    private final SandboxSettings settings;
    private final ScheduledExecutorService scheduler;
    private final SandboxState state;
    private AnnotationConfigServletWebServerApplicationContext context;

    public LeapSandbox(SandboxSettings settings) {
        this.settings = settings;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("leap-sandbox-" + t.getId());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.state = new SandboxState(settings, scheduler);
    }

    public synchronized LeapSandbox start() {
        if (context != null) return this;
        AnnotationConfigServletWebServerApplicationContext ctx = new AnnotationConfigServletWebServerApplicationContext();
        ctx.setDisplayName("leap-sandbox");
        ctx.getBeanFactory().registerSingleton("sandboxSettings", settings);
        ctx.getBeanFactory().registerSingleton("sandboxState", state);
        ctx.register(SandboxServerConfiguration.class, SandboxWebMvcConfiguration.class,
                MeterController.class, CreateMetersController.class, DispatchController.class,
                WebhookSubscriptionController.class, ControlController.class, ConnectSessionController.class);
        try {
            ctx.refresh();
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        context = ctx;
        return this;
    }

    public synchronized void stop() {
        state.pusher().stop();
        if (context != null) {
            context.close();
            context = null;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return context != null;
    }

    /** The port actually bound (useful with port 0). */
    public synchronized int port() {
        if (context == null) throw new IllegalStateException("sandbox not started");
        return context.getWebServer().getPort();
    }

    public String baseUrl() {
        String host = settings.bindAddress().contains(":") ? "[" + settings.bindAddress() + "]" : settings.bindAddress();
        if ("0.0.0.0".equals(host)) host = "127.0.0.1";
        return "http://" + host + ":" + port();
    }

    public SandboxSettings settings() {
        return settings;
    }

    /** Direct access to meters, dispatches, webhooks, jobs, request and delivery logs, for tests. */
    public SandboxState state() {
        return state;
    }

    public void reset() {
        state.reset();
    }
}
