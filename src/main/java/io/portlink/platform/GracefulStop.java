package io.portlink.platform;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;

/**
 * How scheduled jobs take part in a stop (SIGTERM, a rolling update). Quarkus first reports readiness DOWN (and keeps
 * serving for {@code quarkus.shutdown.delay}), then lets in-flight requests finish; from the first of these moments on,
 * {@link #requested()} is true and a job stops between two units of work (a mail, a reminder). When Quarkus then fires
 * its {@link ShutdownEvent}, before any bean or the datasource goes away, this waits for the running jobs to finish
 * their current unit, at most until the delay plus {@code quarkus.shutdown.timeout} after the stop began. From the
 * first moment on, this replica's scheduler starts no new job ({@link #pauseScheduler}), and one that has not started
 * yet ({@link SchedulerStart}) stays halted; every scheduled run registers itself ({@link JobRunListener}). Work that
 * waits for something outside (an outbox delivery waiting to send its data) hears of the first moment through
 * {@link #whenRequested}, so it can give up at once what it has not started yet.
 *
 * <pre>
 * try (GracefulStop.Job job = stop.begin()) {
 *     while (!stop.requested() &amp;&amp; ...) { one unit of work in its own transaction }
 * }
 * </pre>
 */
@ApplicationScoped
public class GracefulStop implements StopSignal {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class);

    @ConfigProperty(name = "quarkus.shutdown.timeout")
    Optional<Duration> timeout;

    @ConfigProperty(name = "quarkus.shutdown.delay")
    Optional<Duration> delay;

    /** This replica's scheduler: it fires no new job once a stop began (the other replicas take the next slots). */
    @Inject
    Instance<Scheduler> scheduler;

    private volatile boolean requested;
    private long requestedAtNanos;
    private int running;
    private final StopListeners listeners = new StopListeners();
    /** Jobs open on this thread: a job's own {@link #begin} inside its scheduled run counts as the run, not twice. */
    private final ThreadLocal<int[]> nested = ThreadLocal.withInitial(() -> new int[1]);

    /** A running job; closing it tells a waiting stop that the job is done. */
    public interface Job extends AutoCloseable {
        @Override
        void close();
    }

    /** True once the service is stopping: a job starts no further unit of work. */
    @Override
    public boolean requested() {
        return requested;
    }

    /**
     * Registers a running job, so the stop waits for it (closing it ends the registration, on the thread that began
     * it). A job begun inside another on the same thread (a scheduled run, registered by {@link JobRunListener}, whose
     * method begins its own) is counted once.
     */
    public Job begin() {
        int[] depth = nested.get();
        if (depth[0]++ == 0) {
            synchronized (this) {
                running++;
            }
        }
        return () -> {
            if (--depth[0] == 0) {
                synchronized (GracefulStop.this) {
                    running--;
                    GracefulStop.this.notifyAll();
                }
            }
        };
    }

    /** How many jobs are registered now (as the stop's log line counts them). */
    synchronized int running() {
        return running;
    }

    /** {@inheritDoc} Here: the moment readiness goes DOWN, or the shutdown itself when there is no delay. */
    @Override
    public Registration whenRequested(Runnable action) {
        return listeners.register(action);
    }

    /**
     * Runs {@code action} (the scheduler's start) unless a stop began, under the lock a stop takes first: the two never
     * interleave, so a scheduler started at the last moment is still put in standby by the stop.
     *
     * @return whether it ran
     */
    public synchronized boolean unlessStopping(Runnable action) {
        if (requested) {
            return false;
        }
        action.run();
        return true;
    }

    /** The first moment of a stop with {@code quarkus.shutdown.delay-enabled}: readiness has just gone DOWN. */
    void onDelay(@Observes ShutdownDelayInitiatedEvent event) {
        request();
    }

    /** Before beans are destroyed: jobs get until the stop's deadline to finish their current unit. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        request();
        long deadline;
        synchronized (this) {
            deadline = requestedAtNanos + delay.orElse(Duration.ZERO).plus(timeout.orElse(Duration.ZERO)).toNanos();
        }
        if (!awaitJobs(deadline)) {
            // the unit still running (an SMTP send) keeps its short claim, which another replica takes over
            LOG.warnf("%d job(s) still running at the end of the shutdown timeout; stopping anyway", running);
        }
    }

    void request() {
        List<Runnable> tell;
        synchronized (this) {
            if (requested) {
                return;
            }
            requestedAtNanos = System.nanoTime();
            requested = true;
            pauseScheduler();
            if (running > 0) {
                LOG.infof("stopping: %d running job(s) finish their current step", running);
            }
            tell = listeners.fire();
        }
        // outside the lock: an action may cancel a network call whose callbacks run on other threads
        for (Runnable action : tell) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "a stop listener failed");
            }
        }
    }

    /**
     * Puts this replica's Quartz scheduler in standby (local only: the jobs stay scheduled for the cluster, and the
     * other replicas fire them). Quartz itself shuts down only after the shutdown observers, so without this it would
     * start new runs while the service is stopping.
     */
    private void pauseScheduler() {
        try {
            if (scheduler.isResolvable() && scheduler.get().isStarted()) {
                scheduler.get().pause();
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not put the scheduler in standby: %s", e.getMessage());
        }
    }

    private synchronized boolean awaitJobs(long deadlineNanos) {
        try {
            for (long left = deadlineNanos - System.nanoTime(); running > 0; left = deadlineNanos - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                Duration wait = Duration.ofNanos(left);
                wait(Math.max(1, wait.toMillis()));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
