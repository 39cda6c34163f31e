package io.portlink.platform;

import java.time.Instant;
import java.util.Date;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import io.quarkus.arc.Arc;

/**
 * Wraps every scheduled job, on the Quartz thread that runs it (registered for all jobs by
 * {@code quarkus.quartz.job-listeners.job-runs.class}; scheduled methods run on that thread, see
 * {@code quarkus.quartz.run-blocking-scheduled-method-on-quartz-thread}): records the run in {@link JobRuns} and
 * registers it with {@link GracefulStop}, so a stop waits for it, and counts and times it in {@link JobMetrics}. The
 * slot of a run that recovers one whose replica died is the slot that run had, which Quartz hands over in the recovery
 * trigger's data.
 */
public class JobRunListener implements JobListener {

    private static final String RUN_ID = JobRunListener.class.getName() + ".run";
    private static final String STOP = JobRunListener.class.getName() + ".stop";
    private static final String STARTED = JobRunListener.class.getName() + ".started";

    private String name = "job-runs";

    @Override
    public String getName() {
        return name;
    }

    /** Quartz sets the name it was configured under. */
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
        context.put(STOP, Arc.container().instance(GracefulStop.class).get().begin());
        String job = context.getJobDetail().getKey().getName();
        context.put(STARTED, System.nanoTime());
        try {
            metrics().started(job);
        } catch (RuntimeException e) {
            JobRuns.logFailure("the metrics of the start", job, e);
        }
        try {
            long id = runs().started(job, slot(context), instance(context), context.isRecovering());
            context.put(RUN_ID, id);
        } catch (RuntimeException e) {
            // the job still runs; only its record is missing
            JobRuns.logFailure("the start", job, e);
        }
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        // a vetoed job never started: nothing was recorded or registered
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        String job = context.getJobDetail().getKey().getName();
        Throwable error = null;
        try {
            error = runs().takeFailure(job, toInstant(context.getScheduledFireTime()));
            if (error == null) {
                error = jobException;
            }
            Object id = context.get(RUN_ID);
            if (id != null) {
                runs().finished((Long) id, job, error);
            }
        } catch (RuntimeException e) {
            JobRuns.logFailure("the end", job, e);
        }
        try {
            long nanos = context.get(STARTED) instanceof Long started ? System.nanoTime() - started : 0;
            metrics().finished(job, nanos, error != null);
        } catch (RuntimeException e) {
            JobRuns.logFailure("the metrics of the end", job, e);
        } finally {
            if (context.get(STOP) instanceof GracefulStop.Job running) {
                running.close();
            }
        }
    }

    /** The fire time Quartz scheduled; for a recovering run, the scheduled fire time of the run it recovers. */
    static Instant slot(JobExecutionContext context) {
        if (context.isRecovering()) {
            String original = context.getMergedJobDataMap()
                    .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        Instant scheduled = toInstant(context.getScheduledFireTime());
        return scheduled != null ? scheduled : toInstant(context.getFireTime());
    }

    private static String instance(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "unknown";
        }
    }

    private static Instant toInstant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static JobMetrics metrics() {
        return Arc.container().instance(JobMetrics.class).get();
    }

    private static JobRuns runs() {
        return Arc.container().instance(JobRuns.class).get();
    }
}
