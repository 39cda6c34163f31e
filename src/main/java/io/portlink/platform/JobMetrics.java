package io.portlink.platform;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Unremovable;

/**
 * Every scheduled job's runs on this replica, fed by {@link JobRunListener} (tag {@code job}: the job's identity):
 * {@code portlink_job_runs_total{job,outcome}} (OK or FAILED), {@code portlink_job_failures_total{job}} (0 from the
 * first run on), {@code portlink_job_duration_seconds{job}} (a timer: count, sum, max),
 * {@code portlink_job_running{job}} and {@code portlink_job_last_success_timestamp_seconds{job}} (the injected clock's
 * epoch seconds). Runs spread over replicas: sum the counters, take the max of the timestamp.
 */
@ApplicationScoped
@Unremovable // looked up by JobRunListener, which Quartz creates (no injection point keeps it)
public class JobMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    private final Map<String, AtomicLong> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    /**
     * Registers {@code job}'s series at 0 (runs OK and FAILED, failures, duration, running), so a replica shows every
     * job from its scheduler's start, not from each job's first run on it (an hourly job's up to an hour later). The
     * last-success timestamp waits for a success: a 0 there would read as "1970".
     */
    public void register(String job) {
        runningOf(job);
        runs(job, false);
        runs(job, true);
        failures(job);
        duration(job);
    }

    /** A run of {@code job} began on this thread. */
    public void started(String job) {
        runningOf(job).incrementAndGet();
    }

    private AtomicLong runningOf(String job) {
        return running.computeIfAbsent(job, j -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("portlink.job.running", count, AtomicLong::get).tag("job", j)
                    .description("Runs of the job going on on this replica").strongReference(true).register(registry);
            return count;
        });
    }

    private Counter runs(String job, boolean failed) {
        return Counter.builder("portlink.job.runs").tag("job", job).tag("outcome", failed ? "FAILED" : "OK")
                .description("Finished runs of the job on this replica").register(registry);
    }

    private Counter failures(String job) {
        return Counter.builder("portlink.job.failures").tag("job", job)
                .description("Failed runs of the job on this replica").register(registry);
    }

    private Timer duration(String job) {
        return Timer.builder("portlink.job.duration").tag("job", job).description("How long the job's runs took")
                .register(registry);
    }

    /** A run of {@code job} that took {@code nanos} ended, failed or not. */
    public void finished(String job, long nanos, boolean failed) {
        AtomicLong count = running.get(job);
        if (count != null) {
            count.updateAndGet(n -> Math.max(0, n - 1));
        }
        runs(job, failed).increment();
        Counter failures = failures(job);
        if (failed) {
            failures.increment();
        }
        duration(job).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        if (!failed) {
            lastSuccess.computeIfAbsent(job, j -> {
                AtomicLong at = new AtomicLong();
                Gauge.builder("portlink.job.last.success.timestamp", at, AtomicLong::get).tag("job", j)
                        .baseUnit("seconds").description("When the job's last successful run on this replica ended")
                        .strongReference(true).register(registry);
                return at;
            }).set(Instant.now(clock).getEpochSecond());
        }
    }
}
