package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Management;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET :9000/q/jobs} with 20,000 recorded runs: it answers what the plain reading of the whole table answers
 * (every job that ran, each one's last run, last failure and failures of the last 24 hours), and on PostgreSQL each of
 * its statements is an index lookup, never a scan of {@code job_run}.
 */
@QuarkusTest
class JobsEndpointCostTest {

    private static final Logger LOG = Logger.getLogger(JobsEndpointCostTest.class);

    static final int JOBS = 5;
    static final int RUNS_PER_JOB = 4_000;

    @Inject
    JobsEndpoint endpoint;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Test
    void withTwentyThousandRunsTheJobsAnswerIsTheWholeTablesAndEachQueryAnIndexLookup() throws Exception {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        Instant now = clock.instant();
        String prefix = "cost-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (Connection db = dataSource.getConnection();
                PreparedStatement insert = db.prepareStatement("insert into job_run (job, slot, instance, recovering,"
                        + " started_at, finished_at, outcome, error, counts) values (?, ?, 'test', false, ?, ?, ?, ?,"
                        + " ?)")) {
            for (int j = 0; j < JOBS; j++) {
                for (int i = 0; i < RUNS_PER_JOB; i++) {
                    // one run a minute back from now; every 7th failed (job 0 never failed), the newest still going
                    Instant at = now.minus(Duration.ofMinutes(i + 1L)).minusMillis(j);
                    boolean failed = j != 0 && i % 7 == 3;
                    boolean going = i == 0 && j == JOBS - 1;
                    insert.setString(1, prefix + j);
                    insert.setObject(2, at.atOffset(ZoneOffset.UTC));
                    insert.setObject(3, at.atOffset(ZoneOffset.UTC));
                    if (going) {
                        insert.setNull(4, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        insert.setObject(4, at.plusMillis(250).atOffset(ZoneOffset.UTC));
                    }
                    insert.setString(5, going ? null : failed ? "FAILED" : "OK");
                    insert.setString(6, failed ? "IllegalStateException: run " + i : null);
                    insert.setString(7, failed ? null : "done=" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        JobsEndpoint.Jobs answer = endpoint.read();
        assertEquals(now, answer.now());
        TreeSet<String> expectedJobs = new TreeSet<>(strings("select distinct job from job_run"));
        expectedJobs.addAll(strings("select distinct job_name from qrtz_triggers where sched_name = '"
                + org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.quartz.instance-name", String.class).orElse("QuarkusQuartzScheduler")
                + "'"));
        assertEquals(List.copyOf(expectedJobs), answer.jobs().stream().map(JobsEndpoint.Job::job).toList(),
                "every job that ran or is scheduled, by name");
        for (JobsEndpoint.Job job : answer.jobs()) {
            // the whole table, read the plain way (other tests' runs may share a start time: compare that only)
            boolean ours = job.job().startsWith(prefix);
            assertEquals(whole("where job = ? order by started_at desc", job.job(), ours),
                    job.lastRun().map(r -> text(r, ours)), job.job() + ": last run");
            assertEquals(whole("where job = ? and outcome = 'FAILED' order by started_at desc", job.job(), ours),
                    job.lastFailure().map(r -> text(r, ours)), job.job() + ": last failure");
            assertEquals(failuresSince(job.job(), now.minus(Duration.ofHours(24))), job.failuresLast24h(),
                    job.job() + ": failures in 24 h");
        }
        JobsEndpoint.Job never = job(answer, prefix + 0);
        assertEquals(0, never.failuresLast24h());
        assertEquals(Optional.empty(), never.lastFailure());
        JobsEndpoint.Job failing = job(answer, prefix + 1);
        // failures at minutes 4, 11, 18, …: those within 24 h (1440 minutes) counted
        assertEquals((1440 - 4) / 7 + 1, failing.failuresLast24h());
        assertEquals(Optional.of("IllegalStateException: run 3"), failing.lastFailure().orElseThrow().error());
        JobsEndpoint.Job going = job(answer, prefix + (JOBS - 1));
        assertEquals(Optional.empty(), going.lastRun().orElseThrow().finishedAt(), "the newest run is still going");

        // what the operator gets over HTTP is the same
        JsonPath json = Management.given().get("/q/jobs").then().statusCode(200).extract().jsonPath();
        String path = "jobs.find { it.job == '" + prefix + 1 + "' }";
        assertEquals(failing.failuresLast24h(), json.getLong(path + ".failuresLast24h"));
        assertEquals("IllegalStateException: run 3", json.getString(path + ".lastFailure.error"));
        assertEquals("done=0", json.getString(path + ".lastRun.counts"));

        if (onPostgres()) {
            try (Connection db = dataSource.getConnection(); Statement s = db.createStatement()) {
                s.execute("analyze job_run");
            }
            Map<String, String> statements = Map.of("job names", JobRuns.JOB_NAMES, "last run", JobRuns.LAST_RUN,
                    "last failure", JobRuns.LAST_FAILURE, "failures", JobRuns.FAILURES);
            for (var statement : statements.entrySet()) {
                String plan = explain(statement.getValue(), prefix + 1, now.minus(Duration.ofHours(24)));
                assertFalse(plan.contains("Seq Scan on job_run"),
                        statement.getKey() + " reads the whole table:\n" + plan);
                assertTrue(plan.contains("Index"), statement.getKey() + " uses no index:\n" + plan);
                LOG.infof("/q/jobs, %s, %d runs:%n%s", statement.getKey(), JOBS * RUNS_PER_JOB, plan);
            }
        }
    }

    private boolean onPostgres() throws Exception {
        try (Connection db = dataSource.getConnection()) {
            return db.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        }
    }

    private static JobsEndpoint.Job job(JobsEndpoint.Jobs answer, String name) {
        return answer.jobs().stream().filter(j -> j.job().equals(name)).findFirst().orElseThrow();
    }

    private String text(JobRuns.Run r, boolean whole) {
        return r.startedAt() + (whole ? "|" + r.finishedAt().orElse(null) + "|" + r.outcome().orElse(null) + "|"
                + r.error().orElse(null) + "|" + r.counts().orElse(null) + "|" + r.instance() : "");
    }

    private List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection db = dataSource.getConnection(); Statement s = db.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                out.add(rows.getString(1));
            }
        }
        return out;
    }

    /** The first row of a job's runs in the given order, read by scanning them all. */
    private Optional<String> whole(String where, String job, boolean whole) throws Exception {
        try (Connection db = dataSource.getConnection(); PreparedStatement p = db.prepareStatement(
                "select started_at, finished_at, outcome, error, counts, instance from job_run " + where)) {
            p.setString(1, job);
            try (ResultSet rows = p.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                var finished = rows.getObject(2, java.time.OffsetDateTime.class);
                String started = rows.getObject(1, java.time.OffsetDateTime.class).toInstant().toString();
                return Optional.of(!whole ? started
                        : started + "|" + (finished == null ? null : finished.toInstant()) + "|" + rows.getString(3)
                                + "|" + rows.getString(4) + "|" + rows.getString(5) + "|" + rows.getString(6));
            }
        }
    }

    private long failuresSince(String job, Instant since) throws Exception {
        long n = 0;
        try (Connection db = dataSource.getConnection();
                PreparedStatement p = db.prepareStatement("select outcome, started_at from job_run where job = ?")) {
            p.setString(1, job);
            try (ResultSet rows = p.executeQuery()) {
                while (rows.next()) {
                    if ("FAILED".equals(rows.getString(1))
                            && !rows.getObject(2, java.time.OffsetDateTime.class).toInstant().isBefore(since)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private String explain(String sql, String job, Instant since) throws Exception {
        try (Connection db = dataSource.getConnection();
                PreparedStatement p = db.prepareStatement("explain (analyze, buffers) " + sql)) {
            int parameters = (int) sql.chars().filter(c -> c == '?').count();
            if (parameters >= 1) {
                p.setString(1, job);
            }
            if (parameters >= 2) {
                p.setObject(2, since.atOffset(ZoneOffset.UTC));
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
