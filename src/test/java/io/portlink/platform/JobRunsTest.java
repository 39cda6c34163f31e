package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.JobExecutionContextImpl;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

import io.portlink.testing.TestClock;
import io.portlink.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The scheduler as it runs in production, on the suite's database (H2 or PostgreSQL): the clustered Quartz store, every
 * job stored as non-concurrent and recoverable, and every run recorded in {@code job_run} by one listener, with its
 * slot, instance, outcome, error and counts. Two test jobs ({@link TestJobs}) fire every second. The profile's other
 * settings (https behind a proxy, JSON log lines) do not touch what is asserted here.
 */
@QuarkusTest
@TestProfile(TestProfiles.ProductionShape.class)
class JobRunsTest {

    /** The service's own jobs, by identity. */
    static final List<String> SERVICE_JOBS = List.of("outbox-delivery", "reminders", "lateness",
            "sign-in-counters-cleanup");

    @Inject
    JobRuns runs;

    @Inject
    TestJobs jobs;

    @Inject
    Scheduler quartz;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Test
    void aRunIsRecordedWithTheSlotItWasScheduledForItsInstanceAndItsCounts() throws Exception {
        JobRuns.Run run = awaitFinished(TestJobs.RECORDED);
        assertEquals(Optional.of("OK"), run.outcome());
        assertTrue(jobs.recordedSlots().contains(run.slot()),
                "the slot is the fire time the job was given: " + run.slot() + " in " + jobs.recordedSlots());
        assertEquals(quartz.getSchedulerInstanceId(), run.instance());
        assertEquals(Optional.of("items=3"), run.counts(), "counts reported during the run, added up");
        assertEquals(Optional.empty(), run.error());
        assertFalse(run.recovering());
        assertFalse(run.finishedAt().get().isBefore(run.startedAt()));
    }

    @Test
    void aFailedRunIsRecordedAsFailedWithItsError() throws Exception {
        JobRuns.Run run = awaitFinished(TestJobs.FAILING);
        assertEquals(Optional.of("FAILED"), run.outcome());
        assertEquals(Optional.of("IllegalStateException: " + TestJobs.ERROR), run.error());
        assertTrue(jobs.failingSlots().contains(run.slot()));
        assertEquals(Optional.empty(), run.counts());
    }

    @Test
    void everyScheduledJobIsStoredInTheClusterAsNonconcurrentAndRecoverable() throws Exception {
        assertTrue(quartz.getMetaData().isJobStoreClustered(), "clustered store");
        assertTrue(quartz.getMetaData().isJobStoreSupportsPersistence(), "a JDBC store");
        Map<String, String> stored = new HashMap<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("select job_name, is_nonconcurrent, requests_recovery"
                        + " from qrtz_job_details where sched_name = ?")) {
            select.setString(1, quartz.getSchedulerName());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getBoolean(2) + "/" + rows.getBoolean(3));
                }
            }
            for (String job : List.of(SERVICE_JOBS.get(0), SERVICE_JOBS.get(1), SERVICE_JOBS.get(2),
                    SERVICE_JOBS.get(3), TestJobs.RECORDED, TestJobs.FAILING)) {
                assertEquals("true/true", stored.get(job), job + ": non-concurrent/requests recovery, in " + stored);
            }
            try (PreparedStatement state = db.prepareStatement(
                    "select count(*) from qrtz_scheduler_state where sched_name = ? and instance_name = ?")) {
                state.setString(1, quartz.getSchedulerName());
                state.setString(2, quartz.getSchedulerInstanceId());
                try (ResultSet rows = state.executeQuery()) {
                    rows.next();
                    assertEquals(1, rows.getInt(1), "this instance checks in with the cluster");
                }
            }
        }
    }

    @Test
    void theOverviewShowsEachJobsLastRunLastFailureAndNextFire() throws Exception {
        awaitFinished(TestJobs.RECORDED);
        awaitFinished(TestJobs.FAILING);
        Map<String, JobRuns.JobState> states = new HashMap<>();
        runs.overview().forEach(s -> states.put(s.job(), s));
        for (String job : SERVICE_JOBS) {
            assertTrue(states.get(job).nextFire().isPresent(), job + " has a next fire time: " + states.get(job));
        }
        JobRuns.JobState failing = states.get(TestJobs.FAILING);
        assertTrue(failing.lastFailure().isPresent());
        assertEquals(Optional.of("IllegalStateException: " + TestJobs.ERROR), failing.lastFailure().get().error());
        JobRuns.JobState recorded = states.get(TestJobs.RECORDED);
        assertTrue(recorded.lastRun().isPresent());
        assertEquals(Optional.empty(), recorded.lastFailure(), "a job that never failed has no last failure");
    }

    @Test
    void runsOlderThanTwoWeeksAreForgottenAndRecentOnesKept() throws Exception {
        Instant now = clock.instant();
        Instant old = now.minus(JobRuns.KEEP).minus(Duration.ofMinutes(1));
        // three batches of ten, the last one short: the rule is the same at JobRuns.DELETE_BATCH rows a batch
        int batchSize = 10;
        int oldRows = batchSize * 2 + 7;
        String forgotten = "test-forgotten-" + UUID.randomUUID();
        String kept = "test-kept-" + UUID.randomUUID();
        try (Connection db = dataSource.getConnection();
                PreparedStatement insert = db.prepareStatement("insert into job_run (job, slot, instance, recovering,"
                        + " started_at, finished_at, outcome) values (?, ?, 'test', false, ?, ?, 'OK')")) {
            for (int i = 0; i < oldRows + 1; i++) {
                Instant at = i < oldRows ? old.minusSeconds(i) : now.minus(JobRuns.KEEP).plus(Duration.ofMinutes(1));
                insert.setString(1, i < oldRows ? forgotten : kept);
                insert.setObject(2, at.atOffset(ZoneOffset.UTC));
                insert.setObject(3, at.atOffset(ZoneOffset.UTC));
                insert.setObject(4, at.atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        assertTrue(runs.forgetOld(batchSize) >= oldRows);
        assertEquals(List.of(), runs.runs(forgotten, 0, 10));
        assertEquals(1, runs.runs(kept, 0, 10).size(), "a run of 13 days 23 hours ago stays");
    }

    @Test
    void aSecondFireOfASlotThatRanIsSkippedButARecoveryOfItIsNot() throws Exception {
        JobRuns.Run ran = awaitFinished(TestJobs.RECORDED);
        JobSlotGuard guard = new JobSlotGuard();
        assertTrue(guard.vetoJobExecution(null, fire(TestJobs.RECORDED, ran.slot(), false)),
                "the slot that ran is not run again");
        assertFalse(guard.vetoJobExecution(null, fire(TestJobs.RECORDED, ran.slot(), true)),
                "a recovery runs the slot again (its replica died during the run)");
        assertFalse(guard.vetoJobExecution(null, fire(TestJobs.RECORDED, ran.slot().plusMillis(1), false)),
                "another slot runs");
    }

    /** What Quartz hands a listener when it fires {@code job} for {@code slot}. */
    private JobExecutionContext fire(String job, Instant slot, boolean recovering) {
        JobDetail detail = JobBuilder.newJob(NoJob.class)
                .withIdentity(job, io.quarkus.scheduler.Scheduler.class.getName()).build();
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger().forJob(detail).build();
        Date at = Date.from(slot);
        return new JobExecutionContextImpl(quartz,
                new TriggerFiredBundle(detail, trigger, null, recovering, at, at, null, null), new NoJob());
    }

    /** A job class for {@link #fire}; never run. */
    public static class NoJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
        }
    }

    /** The newest finished run of a job that fires every second; waits for the scheduler, at most 90 s. */
    private JobRuns.Run awaitFinished(String job) {
        // a slot an earlier test class left due about a minute ago is a misfire (quarkus.quartz.misfire-threshold,
        // 60 s), which Quartz's misfire scan, once a threshold, runs up to 60 s later: the first run may take that long
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            Optional<JobRuns.Run> done = runs.runs(job, 0, 20).stream().filter(r -> r.finishedAt().isPresent())
                    .findFirst();
            if (done.isPresent()) {
                return done.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError(job + " has no finished run after 90 s: " + runs.runs(job, 0, 20));
    }
}
