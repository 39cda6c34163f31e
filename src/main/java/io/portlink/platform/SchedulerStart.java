package io.portlink.platform;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

import io.quarkus.quartz.QuartzScheduler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts this replica's Quartz scheduler {@code portlink.jobs.start-delay} (default 5 s) after the service started,
 * instead of while it starts. Quarkus creates the scheduler and registers the jobs' triggers in the cluster at start as
 * before, but leaves it halted ({@code quarkus.scheduler.start-mode=halted}): on a restart every slot that came due
 * while the replica was down would otherwise run on its first seconds, on the same cores as the start. Until then this
 * replica neither fires a slot nor checks in with the cluster; the other replicas fire the slots as usual.
 * <p>
 * Nothing is missed or doubled: a slot that came due meanwhile is late by less than the delay, which must stay below
 * {@code quarkus.quartz.misfire-threshold} (the service refuses to start otherwise), so it runs once when the scheduler
 * starts, on whichever replica takes it first ({@link JobSlotGuard} skips a second fire of a slot that ran). A stop
 * that begins before the delay has passed keeps the scheduler halted ({@link GracefulStop#unlessStopping}).
 * {@code quarkus.scheduler.enabled=false} (the suite's default) leaves nothing to start.
 */
@ApplicationScoped
public class SchedulerStart {

    private static final Logger LOG = Logger.getLogger(SchedulerStart.class);

    @Inject
    PortlinkConfig config;

    @Inject
    QuartzScheduler quartz;

    @Inject
    GracefulStop stop;

    @Inject
    JobMetrics metrics;

    private ScheduledExecutorService timer;

    /**
     * Schedules the start (at once for a delay of 0). The delay was checked against the misfire threshold before
     * ({@link ProductionSettings}, with {@link #checkDelay}).
     */
    void onStart(@Observes StartupEvent event) {
        Duration delay = config.jobs().startDelay();
        if (quartz.getScheduler() == null) {
            return;
        }
        if (delay.isZero()) {
            start();
            return;
        }
        // the thread is created here, so it has the application's class loader, as the scheduler's own threads do
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scheduler-start");
            thread.setDaemon(true);
            return thread;
        });
        timer.schedule(this::start, delay.toMillis(), TimeUnit.MILLISECONDS);
        timer.shutdown(); // the one start still runs; then the thread ends
    }

    /**
     * Starts the scheduler unless a stop began; a failure is logged (the service serves on, its jobs run on the other
     * replicas) and {@code /q/jobs} shows no new runs of this replica.
     */
    void start() {
        Scheduler scheduler = quartz.getScheduler();
        if (scheduler == null) {
            return;
        }
        // the job store's reads and writes before the stop's lock, which a stop waits for (a stop beginning meanwhile
        // still finds the scheduler halted below)
        try {
            pullInSlots(scheduler, new Date());
            // every job's series from now on, at 0 until it runs here
            for (String group : scheduler.getJobGroupNames()) {
                scheduler.getJobKeys(GroupMatcher.jobGroupEquals(group)).forEach(k -> metrics.register(k.getName()));
            }
        } catch (SchedulerException e) {
            LOG.warnf(e, "could not read the jobs from the job store (their next runs stay as stored, their"
                    + " metrics appear at their first runs)");
        }
        boolean started = stop.unlessStopping(() -> {
            try {
                scheduler.start();
            } catch (SchedulerException e) {
                LOG.errorf(e, "the job scheduler did not start; this replica runs no jobs");
            }
        });
        if (!started) {
            LOG.debugf("stopping before the job scheduler started; it stays halted");
        }
    }

    /**
     * Moves to one interval from {@code now} every repeating trigger whose next slot lies further ahead than one
     * interval: its interval was shortened since that slot was set (Quarkus stores the new interval, the job store
     * keeps the old next fire time), so a shortened {@code portlink.*.every} takes effect at this start instead of
     * after one old interval. {@code now} is Quartz's own time (the system clock). A no-op for a trigger whose interval
     * did not change; run by each replica at its start, the first one moves the slot and the others find it in place.
     *
     * @throws SchedulerException
     *             when the job store cannot be read or written (the scheduler starts all the same)
     */
    static void pullInSlots(Scheduler scheduler, Date now) throws SchedulerException {
        for (String group : scheduler.getTriggerGroupNames()) {
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
                if (scheduler.getTrigger(key) instanceof SimpleTrigger trigger && trigger.getRepeatInterval() > 0
                        && trigger.getNextFireTime() != null
                        && trigger.getNextFireTime().getTime() - now.getTime() > trigger.getRepeatInterval()) {
                    Date next = new Date(now.getTime() + trigger.getRepeatInterval());
                    scheduler.rescheduleJob(key, trigger.getTriggerBuilder().startAt(next).build());
                    LOG.infof("job %s: its next run moved from %s to %s, one interval (%d s) from now",
                            trigger.getJobKey().getName(), trigger.getNextFireTime().toInstant(), next.toInstant(),
                            trigger.getRepeatInterval() / 1000);
                }
            }
        }
    }

    /** A stop before the delay passed cancels the start (and {@link GracefulStop} would refuse it anyway). */
    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * @throws IllegalStateException
     *             naming both settings when {@code delay} is negative or not below {@code misfireThreshold}
     */
    static void checkDelay(Duration delay, Duration misfireThreshold) {
        if (delay.isNegative() || delay.compareTo(misfireThreshold) >= 0) {
            throw new IllegalStateException("PORTLINK_JOBS_START_DELAY (" + delay + ") must be at least 0 and below"
                    + " QUARKUS_QUARTZ_MISFIRE_THRESHOLD (" + misfireThreshold + "): slots that come due while the"
                    + " scheduler waits would otherwise count as missed");
        }
    }
}
