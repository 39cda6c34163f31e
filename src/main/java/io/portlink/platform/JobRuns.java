package io.portlink.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.FailedExecution;

/**
 * The record of every scheduled job's runs (table {@code job_run}): one row per run, written when it starts and
 * completed when it ends, by {@link JobRunListener} around every {@code @Scheduled} method, so no job writes its own. A
 * row with no {@code finished_at} is a run still going, or one whose replica died (Quartz then runs that slot again on
 * another replica, as a row with {@code recovering}). Times are UTC instants; a slot is the fire time Quartz scheduled.
 */
@ApplicationScoped
public class JobRuns {

    private static final Logger LOG = Logger.getLogger(JobRuns.class);

    /** Rows are kept this long (an operator looks at the last days, not at history). */
    public static final Duration KEEP = Duration.ofDays(14);
    static final int DELETE_BATCH = 1000;
    static final int MAX_ERROR = 500;
    static final int MAX_COUNTS = 200;

    /** The counts a job reports on the thread running it; read when the run is recorded as finished. */
    private static final ThreadLocal<Map<String, Long>> COUNTS = new ThreadLocal<>();

    /** The error of a failed run, from the scheduler's {@link FailedExecution} event, by job and slot. */
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.quartz.instance-name", defaultValue = "QuarkusQuartzScheduler")
    String schedulerName;

    /**
     * One job's state for an operator: its last run, its last failure, when it fires next (all may be empty), and how
     * many of its runs failed since the time the overview was asked for.
     */
    public record JobState(String job, Optional<Run> lastRun, Optional<Run> lastFailure, Optional<Instant> nextFire,
            long failures) {
    }

    /** One recorded run; {@code finishedAt} and {@code outcome} are empty while it runs or when its replica died. */
    public record Run(String job, Instant slot, String instance, boolean recovering, Instant startedAt,
            Optional<Instant> finishedAt, Optional<String> outcome, Optional<String> error, Optional<String> counts) {
    }

    /**
     * Adds {@code value} to the count {@code name} of the run going on this thread (e.g. mails sent), shown with the
     * run as {@code name=value}. Does nothing outside a scheduled run (a test calling a job method directly).
     */
    public static void count(String name, long value) {
        Map<String, Long> counts = COUNTS.get();
        if (counts != null) {
            counts.merge(name, value, Long::sum);
        }
    }

    /** Records a run as started now; returns its row id. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long started(String job, Instant slot, String instance, boolean recovering) {
        COUNTS.set(new LinkedHashMap<>());
        try (Connection db = dataSource.getConnection();
                PreparedStatement insert = db.prepareStatement(
                        "insert into job_run" + " (job, slot, instance, recovering, started_at) values (?, ?, ?, ?, ?)",
                        new String[] { "id" })) {
            insert.setString(1, job);
            insert.setObject(2, slot.atOffset(ZoneOffset.UTC));
            insert.setString(3, instance);
            insert.setBoolean(4, recovering);
            insert.setObject(5, Instant.now(clock).atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the start of job " + job, e);
        }
    }

    /**
     * The error the scheduler reported for the run of {@code job} fired for {@code firedSlot}, or null: it did not
     * fail. Forgotten once taken (called once, as the run ends).
     */
    public Throwable takeFailure(String job, Instant firedSlot) {
        return failures.remove(key(job, firedSlot));
    }

    /**
     * Records a run as finished now: FAILED with the first {@value #MAX_ERROR} characters of {@code error} (from
     * {@link #takeFailure}) when there is one, else OK; with the counts the job reported on this thread.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finished(long id, String job, Throwable error) {
        Map<String, Long> counts = COUNTS.get();
        COUNTS.remove();
        String countText = counts == null || counts.isEmpty() ? null
                : counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        try (Connection db = dataSource.getConnection(); PreparedStatement update = db.prepareStatement(
                "update job_run set finished_at = ?, outcome = ?, error = ?, counts = ? where id = ?")) {
            update.setObject(1, Instant.now(clock).atOffset(ZoneOffset.UTC));
            update.setString(2, error == null ? "OK" : "FAILED");
            update.setString(3, error == null ? null : shorten(describe(error), MAX_ERROR));
            update.setString(4, shorten(countText, MAX_COUNTS));
            update.setLong(5, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the end of job " + job, e);
        }
    }

    /** Whether a run of {@code job} for {@code slot} was recorded (started, whether it finished or not). */
    public boolean ran(String job, Instant slot) {
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db
                .prepareStatement("select 1 from job_run where job = ? and slot = ? fetch first 1 rows only")) {
            select.setString(1, job);
            select.setObject(2, slot.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the runs of job " + job, e);
        }
    }

    /** Keeps a failed run's error until the run is recorded as finished (same thread, just before). */
    void onFailure(@Observes FailedExecution failed) {
        failures.put(key(failed.getExecution().getTrigger().getId(), failed.getExecution().getScheduledFireTime()),
                failed.getException());
    }

    /** Forgets runs that started more than {@link #KEEP} ago, {@value #DELETE_BATCH} rows a transaction. */
    public long forgetOld() {
        return forgetOld(DELETE_BATCH);
    }

    /** {@link #forgetOld()} in batches of {@code batchSize} rows (a test proves several batches with a few rows). */
    long forgetOld(int batchSize) {
        Instant before = Instant.now(clock).minus(KEEP);
        long removed = 0;
        int batch;
        do {
            batch = deleteBatch(before, batchSize);
            removed += batch;
        } while (batch == batchSize);
        return removed;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int deleteBatch(Instant before, int batchSize) {
        try (Connection db = dataSource.getConnection();
                PreparedStatement delete = db.prepareStatement("delete from job_run where id in (select id from job_run"
                        + " where started_at < ? order by started_at fetch first " + batchSize + " rows only)")) {
            delete.setObject(1, before.atOffset(ZoneOffset.UTC));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget old job runs", e);
        }
    }

    /**
     * The names of the jobs that have runs, by a walk down {@code job_run_job_ix}: one index probe per job for the next
     * name after the last ({@code min(job) where job > ?}), so its cost follows the number of jobs, never the runs.
     */
    static final String JOB_NAMES = "with recursive names (job) as (select min(job) from job_run union all"
            + " select (select min(r.job) from job_run r where r.job > n.job) from names n where n.job is not null)"
            + " select job from names where job is not null";

    /** The jobs the cluster's scheduler holds triggers for, each with its next fire time (ms since the epoch). */
    static final String TRIGGERS = "select job_name, min(next_fire_time) from qrtz_triggers where sched_name = ?"
            + " group by job_name";

    /** One job's failed runs since a time: a range of {@code job_run_failed_ix} (job, outcome, started_at). */
    static final String FAILURES = "select count(*) from job_run where job = ? and outcome = 'FAILED'"
            + " and started_at >= ?";

    private static final String SELECT = "select job, slot, instance, recovering, started_at, finished_at, outcome,"
            + " error, counts from job_run";

    /** One job's last run: the top of {@code job_run_job_ix} (job, started_at). */
    static final String LAST_RUN = SELECT + " where job = ? order by started_at desc fetch first 1 rows only";

    /** One job's last failure: the top of {@code job_run_failed_ix} (job, outcome, started_at). */
    static final String LAST_FAILURE = SELECT + " where job = ? and outcome = 'FAILED'"
            + " order by started_at desc fetch first 1 rows only";

    /** The runs going on now, from Quartz's fired triggers (a row per run going on: a handful). */
    static final String RUNNING = "select job_name, instance_name, fired_time from qrtz_fired_triggers"
            + " where sched_name = ? and state = 'EXECUTING' order by fired_time";

    /**
     * Every job the scheduler knows or that ran in the last {@link #KEEP}, by name: its last run, last failure, the
     * failed runs since {@code failuresSince}, and next fire time (from Quartz's shared tables, so the same on every
     * replica). Each statement is one index lookup per job ({@link #JOB_NAMES}, {@link #LAST_RUN},
     * {@link #LAST_FAILURE}, {@link #FAILURES}) or reads Quartz's tables of a row per job: the cost follows the number
     * of jobs, not of runs recorded.
     */
    @Transactional
    public List<JobState> overview(Instant failuresSince) {
        try (Connection db = dataSource.getConnection()) {
            Map<String, Instant> next = new TreeMap<>();
            try (PreparedStatement triggers = db.prepareStatement(TRIGGERS)) {
                triggers.setString(1, schedulerName);
                try (ResultSet rows = triggers.executeQuery()) {
                    while (rows.next()) {
                        long at = rows.getLong(2);
                        next.put(rows.getString(1), rows.wasNull() || at <= 0 ? null : Instant.ofEpochMilli(at));
                    }
                }
            }
            TreeSet<String> jobs = new TreeSet<>(next.keySet());
            try (Statement names = db.createStatement(); ResultSet rows = names.executeQuery(JOB_NAMES)) {
                while (rows.next()) {
                    jobs.add(rows.getString(1));
                }
            }
            List<JobState> states = new ArrayList<>();
            try (PreparedStatement last = db.prepareStatement(LAST_RUN);
                    PreparedStatement lastFailure = db.prepareStatement(LAST_FAILURE);
                    PreparedStatement failures = db.prepareStatement(FAILURES)) {
                for (String job : jobs) {
                    states.add(new JobState(job, latest(last, job), latest(lastFailure, job),
                            Optional.ofNullable(next.get(job)), count(failures, job, failuresSince)));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the job runs", e);
        }
    }

    /** {@link #overview(Instant)} with the failures of the last 24 hours. */
    public List<JobState> overview() {
        return overview(Instant.now(clock).minus(Duration.ofHours(24)));
    }

    /** A run going on now on some replica, as the cluster's scheduler knows it: since when, on which instance. */
    public record Running(String instance, Instant since) {
    }

    /**
     * The runs going on now on every replica, by job, from Quartz's shared table of fired triggers (a run whose replica
     * died stays there until another replica recovers it, about 15 s).
     */
    @Transactional
    public Map<String, List<Running>> running() {
        Map<String, List<Running>> running = new TreeMap<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(RUNNING)) {
            select.setString(1, schedulerName);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    running.computeIfAbsent(rows.getString(1), j -> new ArrayList<>())
                            .add(new Running(rows.getString(2), Instant.ofEpochMilli(rows.getLong(3))));
                }
            }
            return running;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the running jobs", e);
        }
    }

    /** The runs of one job, newest first, a page at a time (for the operator page and the cluster proof). */
    @Transactional
    public List<Run> runs(String job, int page, int size) {
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement(SELECT + " where job = ? order by started_at desc"
                        + " offset " + ((long) page * size) + " rows fetch first " + size + " rows only")) {
            select.setString(1, job);
            List<Run> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(run(rows));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the runs of job " + job, e);
        }
    }

    private static Optional<Run> latest(PreparedStatement select, String job) throws SQLException {
        select.setString(1, job);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(run(rows)) : Optional.empty();
        }
    }

    private static long count(PreparedStatement select, String job, Instant since) throws SQLException {
        select.setString(1, job);
        select.setObject(2, since.atOffset(ZoneOffset.UTC));
        try (ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Run run(ResultSet rows) throws SQLException {
        return new Run(rows.getString(1), SqlTimestamps.instant(rows, 2), rows.getString(3), rows.getBoolean(4),
                SqlTimestamps.instant(rows, 5), Optional.ofNullable(SqlTimestamps.instant(rows, 6)),
                Optional.ofNullable(rows.getString(7)), Optional.ofNullable(rows.getString(8)),
                Optional.ofNullable(rows.getString(9)));
    }

    private static String key(String job, Instant slot) {
        return job + "@" + (slot == null ? "" : slot.toEpochMilli());
    }

    private static String describe(Throwable error) {
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause(); // the scheduler's wrapping of what the job threw
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static void logFailure(String what, String job, RuntimeException e) {
        LOG.errorf(e, "%s of job %s was not recorded", what, job);
    }
}
