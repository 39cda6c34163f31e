package io.portlink.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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

    /** One job's state for an operator: its last run, its last failure, and when it fires next (all may be empty). */
    public record JobState(String job, Optional<Run> lastRun, Optional<Run> lastFailure, Optional<Instant> nextFire) {
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
     * Every job the scheduler knows or that ran in the last {@link #KEEP}, by name: its last run, last failure and next
     * fire time (from Quartz's shared tables, so the same on every replica). Bounded by the number of jobs.
     */
    @Transactional
    public List<JobState> overview() {
        try (Connection db = dataSource.getConnection()) {
            Map<String, Instant> next = new TreeMap<>();
            try (PreparedStatement triggers = db.prepareStatement("select job_name, min(next_fire_time)"
                    + " from qrtz_triggers where sched_name = ? group by job_name")) {
                triggers.setString(1, schedulerName);
                try (ResultSet rows = triggers.executeQuery()) {
                    while (rows.next()) {
                        long at = rows.getLong(2);
                        next.put(rows.getString(1), rows.wasNull() || at <= 0 ? null : Instant.ofEpochMilli(at));
                    }
                }
            }
            TreeSet<String> jobs = new TreeSet<>(next.keySet());
            try (Statement names = db.createStatement();
                    ResultSet rows = names.executeQuery("select distinct job from job_run")) {
                while (rows.next()) {
                    jobs.add(rows.getString(1));
                }
            }
            List<JobState> states = new ArrayList<>();
            for (String job : jobs) {
                states.add(new JobState(job, latest(db, job, false), latest(db, job, true),
                        Optional.ofNullable(next.get(job))));
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the job runs", e);
        }
    }

    /** A run going on now on some replica, as the cluster's scheduler knows it: since when, on which instance. */
    public record Running(String instance, Instant since) {
    }

    /** How many runs of each job failed since {@code since} (jobs without a failure are absent). */
    @Transactional
    public Map<String, Long> failuresSince(Instant since) {
        Map<String, Long> failed = new TreeMap<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(
                "select job, count(*) from job_run where outcome = 'FAILED' and started_at >= ? group by job")) {
            select.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    failed.put(rows.getString(1), rows.getLong(2));
                }
            }
            return failed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the failed job runs", e);
        }
    }

    /**
     * The runs going on now on every replica, by job, from Quartz's shared table of fired triggers (a run whose replica
     * died stays there until another replica recovers it, about 15 s).
     */
    @Transactional
    public Map<String, List<Running>> running() {
        Map<String, List<Running>> running = new TreeMap<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement(
                        "select job_name, instance_name, fired_time from qrtz_fired_triggers where sched_name = ?"
                                + " and state = 'EXECUTING' order by fired_time")) {
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

    private static final String SELECT = "select job, slot, instance, recovering, started_at, finished_at, outcome,"
            + " error, counts from job_run";

    private static Optional<Run> latest(Connection db, String job, boolean failed) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(SELECT + " where job = ?"
                + (failed ? " and outcome = 'FAILED'" : "") + " order by started_at desc fetch first 1 rows only")) {
            select.setString(1, job);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(run(rows)) : Optional.empty();
            }
        }
    }

    private static Run run(ResultSet rows) throws SQLException {
        return new Run(rows.getString(1), instant(rows, 2), rows.getString(3), rows.getBoolean(4), instant(rows, 5),
                Optional.ofNullable(instant(rows, 6)), Optional.ofNullable(rows.getString(7)),
                Optional.ofNullable(rows.getString(8)), Optional.ofNullable(rows.getString(9)));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime at = rows.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
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
