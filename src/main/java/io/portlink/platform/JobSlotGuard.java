package io.portlink.platform;

import java.time.Instant;

import org.jboss.logging.Logger;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerListener;

import io.quarkus.arc.Arc;

/**
 * Keeps a slot from running twice (registered for all jobs by
 * {@code quarkus.quartz.trigger-listeners.slot-guard.class}). Every replica re-registers each job's trigger when it
 * starts, starting it at the next fire time it read; a replica that read it just before another one fired that slot
 * schedules the same slot once more. This vetoes a fire whose slot already has a run in {@code job_run}. It cannot race
 * with that run: every job is {@code @Nonconcurrent}, so Quartz starts a job's next fire only after its run ended and
 * was recorded. A run that recovers one whose replica died is always let through.
 */
public class JobSlotGuard implements TriggerListener {

    private static final Logger LOG = Logger.getLogger(JobSlotGuard.class);

    private String name = "slot-guard";

    @Override
    public String getName() {
        return name;
    }

    /** Quartz sets the name it was configured under. */
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
        // nothing to do before the veto
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        if (context.isRecovering() || context.getScheduledFireTime() == null) {
            return false;
        }
        String job = context.getJobDetail().getKey().getName();
        Instant slot = context.getScheduledFireTime().toInstant();
        try {
            if (Arc.container().instance(JobRuns.class).get().ran(job, slot)) {
                LOG.infof("job %s: slot %s already ran; this second fire of it is skipped", job, slot);
                return true;
            }
        } catch (RuntimeException e) {
            // without the record, run: a slot twice is safe for every job, a slot missed may not be
            LOG.warnf("job %s: could not check whether slot %s already ran: %s", job, slot, e.getMessage());
        }
        return false;
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
        // the misfire policy decides (quarkus.quartz.simple-trigger.misfire-policy)
    }

    @Override
    public void triggerComplete(Trigger trigger, JobExecutionContext context,
            Trigger.CompletedExecutionInstruction instruction) {
        // the run is recorded by JobRunListener
    }
}
