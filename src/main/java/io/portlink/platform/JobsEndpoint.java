package io.portlink.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;

/**
 * {@code GET /q/jobs} on the management interface only (never the public port): what the scheduled jobs are doing on
 * the whole cluster, as JSON. Per job: the next fire time (Quartz's shared tables), the runs going on now (instance,
 * since), the failed runs of the last 24 hours, the last run and the last failure (slot, instance, start, end, outcome,
 * error, counts). Times are UTC instants (ISO-8601). An operator's tool: a few index lookups per job per call, so its
 * cost follows the number of jobs, not the runs recorded ({@link JobRuns#overview(Instant)}).
 */
@ApplicationScoped
public class JobsEndpoint {

    private static final Logger LOG = Logger.getLogger(JobsEndpoint.class);

    /** The window of {@link Job#failuresLast24h()}. */
    static final Duration FAILURE_WINDOW = Duration.ofHours(24);

    /** The answer: when it was read, and every job by name. */
    public record Jobs(Instant now, List<Job> jobs) {
    }

    /** One job's state; {@code nextFire} is empty for a job no replica schedules any more. */
    public record Job(String job, Optional<Instant> nextFire, List<JobRuns.Running> running, long failuresLast24h,
            Optional<JobRuns.Run> lastRun, Optional<JobRuns.Run> lastFailure) {
    }

    @Inject
    JobRuns runs;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.management.root-path", defaultValue = "/q")
    String rootPath;

    void install(@Observes ManagementInterface management) {
        management.router().get(rootPath.replaceAll("/$", "") + "/jobs").handler(
                rc -> rc.vertx().executeBlocking(() -> json.writeValueAsString(read()), false).onComplete(done -> {
                    if (done.succeeded()) {
                        rc.response().putHeader("Content-Type", "application/json")
                                .putHeader("Cache-Control", "no-store").end(done.result());
                    } else {
                        LOG.error("the jobs' state could not be read", done.cause());
                        rc.response().setStatusCode(500).putHeader("Content-Type", "text/plain;charset=UTF-8")
                                .end("The jobs' state could not be read; see the log.");
                    }
                }));
    }

    /** The jobs' state now. */
    public Jobs read() {
        Instant now = Instant.now(clock);
        Map<String, List<JobRuns.Running>> running = runs.running();
        List<Job> jobs = runs.overview(now.minus(FAILURE_WINDOW)).stream().map(s -> new Job(s.job(), s.nextFire(),
                running.getOrDefault(s.job(), List.of()), s.failures(), s.lastRun(), s.lastFailure())).toList();
        return new Jobs(now, jobs);
    }
}
