package io.leapvpp.hub.dispatch;

import io.leapvpp.hub.dispatch.DispatchIntake.Intake;
import io.leapvpp.hub.dispatch.DispatchIntake.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The group commit's own logic, with a store function in place of the database (DispatchIntakeGroupTest has the real one). */
class DispatchGroupCommitTest {

    private static Intake intake(String body) {
        return new Intake(new DispatchNotification(DispatchKind.METER, false, false, List.of(), body), "WEBHOOK");
    }

    private static Result ok(long id) {
        return new Result(0, 0, 0, 0, 0, id);
    }

    @Test
    void waitingNotificationsShareOneStoreAndAFailingOneDoesNotTakeItsNeighboursDown() throws Exception {
        CountDownLatch firstStoreRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Function<List<Intake>, List<Result>> store = intakes -> {
            List<String> bodies = intakes.stream().map(i -> i.notification().body()).toList();
            calls.add(bodies);
            if (bodies.equals(List.of("first"))) {
                firstStoreRunning.countDown();
                await(release);
            }
            if (bodies.contains("bad")) {
                throw new IllegalStateException("bad row");
            }
            List<Result> out = new ArrayList<>();
            for (String b : bodies) {
                out.add(ok(b.hashCode()));
            }
            return out;
        };
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (DispatchGroupCommit commit = new DispatchGroupCommit(store, 1, 100, Duration.ofSeconds(10))) {
            Future<Result> first = senders.submit(() -> commit.accept(intake("first")));
            assertThat(firstStoreRunning.await(5, TimeUnit.SECONDS)).isTrue();
            // while the only writer is busy, three notifications queue up
            Future<Result> a = senders.submit(() -> commit.accept(intake("a")));
            Future<Result> bad = senders.submit(() -> commit.accept(intake("bad")));
            Future<Result> b = senders.submit(() -> commit.accept(intake("b")));
            Thread.sleep(300);
            release.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS).notificationId()).isEqualTo("first".hashCode());
            assertThat(a.get(5, TimeUnit.SECONDS).notificationId()).isEqualTo("a".hashCode());
            assertThat(b.get(5, TimeUnit.SECONDS).notificationId()).isEqualTo("b".hashCode());
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("bad row");
            // one store for the three together, then each alone
            assertThat(calls.get(1)).containsExactlyInAnyOrder("a", "bad", "b");
            assertThat(calls.subList(2, calls.size())).containsExactlyInAnyOrder(List.of("a"), List.of("bad"), List.of("b"));
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aRequestNotCommittedInTimeIsRefusedAndAClosedIntakeAcceptsNothing() {
        CountDownLatch never = new CountDownLatch(1);
        DispatchGroupCommit commit = new DispatchGroupCommit(intakes -> {
            await(never);
            return List.of(ok(1));
        }, 1, 10, Duration.ofMillis(200));
        assertThatThrownBy(() -> commit.accept(intake("slow"))).hasMessageContaining("did not commit within");
        never.countDown();
        commit.close();
        assertThatThrownBy(() -> commit.accept(intake("late"))).hasMessageContaining("shutting down");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
