package io.portlink.platform;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Two jobs of the test application, off unless a test profile sets {@code test.jobs.every}: one that reports a count,
 * one that fails. Each keeps the slots the scheduler gave it, so a test can compare them with the record.
 */
@ApplicationScoped
public class TestJobs {

    static final String RECORDED = "test-recorded";
    static final String FAILING = "test-failing";
    static final String ERROR = "the printer is on fire";

    private final Set<Instant> recordedSlots = ConcurrentHashMap.newKeySet();
    private final Set<Instant> failingSlots = ConcurrentHashMap.newKeySet();

    /** The slots the recorded job was given so far (through a method: the bean is behind a client proxy). */
    public Set<Instant> recordedSlots() {
        return Set.copyOf(recordedSlots);
    }

    /** The slots the failing job was given so far. */
    public Set<Instant> failingSlots() {
        return Set.copyOf(failingSlots);
    }

    @Scheduled(identity = RECORDED, every = "${test.jobs.every:off}")
    @Nonconcurrent
    void recorded(ScheduledExecution execution) {
        recordedSlots.add(execution.getScheduledFireTime());
        JobRuns.count("items", 2);
        JobRuns.count("items", 1);
    }

    @Scheduled(identity = FAILING, every = "${test.jobs.every:off}")
    @Nonconcurrent
    void failing(ScheduledExecution execution) {
        failingSlots.add(execution.getScheduledFireTime());
        throw new IllegalStateException(ERROR);
    }
}
