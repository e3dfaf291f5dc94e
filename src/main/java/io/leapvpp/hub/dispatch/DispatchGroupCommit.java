package io.leapvpp.hub.dispatch;

import io.leapvpp.hub.dispatch.DispatchIntake.Intake;
import io.leapvpp.hub.dispatch.DispatchIntake.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Group commit for dispatch intake: a request thread hands its notification to a writer and waits; a writer takes
 * every notification waiting (up to {@code maxBatch}) and stores them in ONE transaction, so under load hundreds of
 * webhooks share a handful of multi-row statements and one commit instead of a transaction each. At low load a batch
 * is a single notification and nothing waits for company. Nobody is answered before their transaction committed.
 *
 * <p>A batch that fails is not allowed to take its neighbours down: its notifications are then stored one by one,
 * and each caller gets its own outcome.
 */
final class DispatchGroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DispatchGroupCommit.class);

    private record Waiting(Intake intake, CompletableFuture<Result> outcome) {
    }

    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Function<List<Intake>, List<Result>> store;
    private final int maxBatch;
    private final Duration maxWait;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    DispatchGroupCommit(Function<List<Intake>, List<Result>> store, int writers, int maxBatch, Duration maxWait) {
        this.store = store;
        this.maxBatch = Math.max(1, maxBatch);
        this.maxWait = maxWait;
        for (int i = 1; i <= Math.max(1, writers); i++) {
            Thread t = new Thread(this::write, "dispatch-intake-" + i);
            t.setDaemon(true);
            t.start();
            this.writers.add(t);
        }
    }

    /** Returns once the notification is committed; throws what storing it threw (the receiver answers 503). */
    Result accept(Intake intake) {
        if (!running) {
            throw new IllegalStateException("the hub is shutting down; dispatch intake is closed");
        }
        Waiting w = new Waiting(intake, new CompletableFuture<>());
        queue.add(w);
        try {
            return w.outcome().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("dispatch intake failed", e.getCause());
        } catch (TimeoutException e) {
            // the notification may still be committed later; Leap retries and the repeat changes nothing
            throw new IllegalStateException("dispatch intake did not commit within " + maxWait + "; the sender should retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for dispatch intake");
        }
    }

    private void write() {
        List<Waiting> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Waiting first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // store() completes every outcome; this is a last resort so a writer never dies silently
                batch.forEach(w -> w.outcome().completeExceptionally(e));
                log.error("Dispatch intake writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<Waiting> batch) {
        try {
            List<Result> results = store.apply(batch.stream().map(Waiting::intake).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).outcome().completeExceptionally(e);
                return;
            }
            log.debug("A group of {} dispatch notifications failed together; storing them one by one: {}", batch.size(), e.getMessage());
            for (Waiting w : batch) {
                try {
                    w.outcome().complete(store.apply(List.of(w.intake())).get(0));
                } catch (RuntimeException single) {
                    w.outcome().completeExceptionally(single);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        writers.forEach(Thread::interrupt);
        for (Thread t : writers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Waiting w;
        while ((w = queue.poll()) != null) {
            w.outcome().completeExceptionally(new IllegalStateException("the hub is shutting down; dispatch intake is closed"));
        }
    }
}
