package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The scheduler waits {@code portlink.jobs.start-delay} after the service started before it fires anything or joins the
 * cluster ({@link SchedulerStart}), then runs the slots that came due; a stop that began first keeps it halted. On the
 * suite's database (H2 or PostgreSQL), with the two test jobs ({@link TestJobs}) due every second. The delay here is
 * longer than the test, so the test starts the scheduler itself where the timer would.
 */
@QuarkusTest
@TestProfile(SchedulerStartTest.Delayed.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerStartTest {

    /** The scheduler on, as in production, with a start delay no test waits for. */
    public static class Delayed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true", "test.jobs.every", "1s", "portlink.jobs.start-delay",
                    "50s");
        }
    }

    @Inject
    Scheduler quartz;

    @Inject
    SchedulerStart start;

    @Inject
    GracefulStop stop;

    @Inject
    JobRuns runs;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Test
    @Order(1)
    void theSchedulerFiresNothingAndStaysOutOfTheClusterUntilItsDelayThenRunsTheSlotsThatCameDue() throws Exception {
        assertTrue(quartz.isInStandbyMode(), "halted while the delay runs");
        assertFalse(checkedIn(), "not checked in with the cluster yet");
        assertEquals(List.of(), ownRuns(TestJobs.RECORDED), "a job due every second has not run");
        // its next slot an hour ahead, as a longer interval set it before the job's interval was shortened to 1 s (the
        // job store keeps the old next fire time): the start moves it to one interval from now
        TriggerKey key = quartz
                .getTriggersOfJob(JobKey.jobKey(TestJobs.RECORDED, io.quarkus.scheduler.Scheduler.class.getName()))
                .get(0).getKey();
        quartz.rescheduleJob(key, quartz.getTrigger(key).getTriggerBuilder()
                .startAt(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());

        start.start();

        assertFalse(quartz.isInStandbyMode(), "started");
        // every job's series from the start on, before its first run here (a failed run's counter of a job that never
        // failed exists only because the start registered it)
        var jobs = quartz.getJobKeys(GroupMatcher.anyJobGroup());
        assertTrue(jobs.size() >= 8, "the service's jobs and the test's: " + jobs);
        for (JobKey job : jobs) {
            assertNotNull(
                    registry.find("portlink.job.runs").tag("job", job.getName()).tag("outcome", "FAILED").counter(),
                    job.getName());
            assertNotNull(registry.find("portlink.job.running").tag("job", job.getName()).gauge(), job.getName());
        }
        assertTrue(checkedIn(), "this instance checks in with the cluster");
        JobRuns.Run run = awaitOwnFinishedRun(TestJobs.RECORDED);
        assertEquals(Optional.of("OK"), run.outcome());
    }

    @Test
    @Order(2)
    void aStopThatBeganBeforeTheDelayPassedKeepsTheSchedulerHalted() throws Exception {
        stop.request(); // the stop's first moment: readiness DOWN
        assertTrue(quartz.isInStandbyMode(), "the stop put the started scheduler in standby");

        start.start(); // the delay passing after the stop began

        assertTrue(quartz.isInStandbyMode(), "a start after the stop began does not start it again");
    }

    @Test
    void theDelayMustStayBelowTheMisfireThreshold() {
        Duration threshold = Duration.ofSeconds(60);
        assertDoesNotThrow(() -> SchedulerStart.checkDelay(Duration.ZERO, threshold));
        assertDoesNotThrow(() -> SchedulerStart.checkDelay(Duration.ofSeconds(59), threshold));
        for (Duration bad : List.of(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(-1))) {
            var e = assertThrows(IllegalStateException.class, () -> SchedulerStart.checkDelay(bad, threshold));
            assertTrue(e.getMessage().contains("PORTLINK_JOBS_START_DELAY")
                    && e.getMessage().contains("QUARKUS_QUARTZ_MISFIRE_THRESHOLD"), e.getMessage());
        }
    }

    /** Whether this instance has its heartbeat row in the cluster's state table. */
    private boolean checkedIn() throws Exception {
        try (Connection db = dataSource.getConnection(); PreparedStatement state = db.prepareStatement(
                "select count(*) from qrtz_scheduler_state where sched_name = ? and instance_name = ?")) {
            state.setString(1, quartz.getSchedulerName());
            state.setString(2, quartz.getSchedulerInstanceId());
            try (ResultSet rows = state.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    /** This instance's runs of a job (a PostgreSQL database keeps earlier test runs' rows). */
    private List<JobRuns.Run> ownRuns(String job) throws Exception {
        String instance = quartz.getSchedulerInstanceId();
        return runs.runs(job, 0, 50).stream().filter(r -> r.instance().equals(instance)).toList();
    }

    /** This instance's newest finished run of a job due every second; waits at most 90 s. */
    private JobRuns.Run awaitOwnFinishedRun(String job) throws Exception {
        // a slot an earlier test class left due about a minute ago is a misfire (quarkus.quartz.misfire-threshold,
        // 60 s), which Quartz's misfire scan, once a threshold, runs up to 60 s later: the first run may take that long
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            Optional<JobRuns.Run> done = ownRuns(job).stream().filter(r -> r.finishedAt().isPresent()).findFirst();
            if (done.isPresent()) {
                return done.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError(job + " has no finished run of this instance after 90 s: " + ownRuns(job));
    }
}
