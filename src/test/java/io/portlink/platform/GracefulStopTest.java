package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The count of running jobs a stop waits for and logs: a scheduled run whose method begins its own job on the same
 * thread is one job; jobs on two threads are two. And the actions waiting for the stop run once each, in order, and an
 * action registered after it runs at once.
 */
class GracefulStopTest {

    @Test
    void aJobBegunInsideAScheduledRunOnTheSameThreadCountsOnce() {
        GracefulStop stop = new GracefulStop();
        try (GracefulStop.Job run = stop.begin()) {
            try (GracefulStop.Job own = stop.begin()) {
                assertEquals(1, stop.running(), "the run and its method's own job are one job");
            }
            assertEquals(1, stop.running(), "still running until the run itself ends");
        }
        assertEquals(0, stop.running());
    }

    @Test
    void jobsOnTwoThreadsCountTwice() throws Exception {
        GracefulStop stop = new GracefulStop();
        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (GracefulStop.Job job = stop.begin()) {
                begun.countDown();
                end.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        begun.await(10, TimeUnit.SECONDS);
        try (GracefulStop.Job job = stop.begin()) {
            assertEquals(2, stop.running());
        }
        end.countDown();
        other.join(10_000);
        assertEquals(0, stop.running());
    }

    @Test
    void waitingActionsRunOnceInOrderAndALateOneRunsAtOnce() {
        StopListeners listeners = new StopListeners();
        List<String> ran = new ArrayList<>();
        listeners.register(() -> ran.add("first"));
        StopSignal.Registration dropped = listeners.register(() -> ran.add("dropped"));
        listeners.register(() -> ran.add("second"));
        dropped.close();

        listeners.fire().forEach(Runnable::run);
        assertEquals(List.of("first", "second"), ran);
        assertEquals(List.of(), listeners.fire(), "a second fire hands out nothing");

        listeners.register(() -> ran.add("late"));
        assertEquals(List.of("first", "second", "late"), ran, "registered after the stop: runs at once");
    }
}
