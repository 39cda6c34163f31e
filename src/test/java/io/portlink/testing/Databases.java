package io.portlink.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** What the suite's database is; some tests only mean something on PostgreSQL, the production database. */
public final class Databases {

    private Databases() {
    }

    /**
     * Skips the calling test unless the suite runs on PostgreSQL (the {@code -Dtestdb=postgresql} pass of CI).
     *
     * @param why
     *            why the test needs PostgreSQL, shown when it is skipped
     */
    public static void assumePostgres(DataSource dataSource, String why) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Assumptions.assumeTrue(c.getMetaData().getDatabaseProductName().equals("PostgreSQL"), why);
        }
    }

    /**
     * Polls PostgreSQL until a session of this database waits on a lock (a blocked insert or update), for at most 30 s.
     */
    public static void awaitLockWait(DataSource dataSource) throws SQLException {
        awaitLockWaits(dataSource, 1);
    }

    /**
     * Polls PostgreSQL until at least {@code sessions} sessions of this database wait on a lock, for at most 30 s: how
     * a test knows that the transactions it started are where it wants them before it lets the first one go.
     */
    public static void awaitLockWaits(DataSource dataSource, int sessions) throws SQLException {
        long until = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            while (System.nanoTime() < until) {
                try (var rs = st.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                        + " and datname = current_database()")) {
                    rs.next();
                    if (rs.getLong(1) >= sessions) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError(sessions + " sessions did not wait on a lock within 30 s");
    }

    /**
     * A transaction of its own, on {@code pool}, that runs {@code lock} (a {@code findById(id, PESSIMISTIC_WRITE)}) and
     * then keeps its locks until {@link Hold#close}: how a test makes other transactions queue behind a row in the
     * order it wants. Returns once {@code lock} has run (at most 30 s).
     */
    public static Hold hold(ExecutorService pool, Runnable lock) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> transaction = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            lock.run();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        if (!held.await(30, TimeUnit.SECONDS)) {
            release.countDown();
            throw new AssertionError("the row was not locked within 30 s");
        }
        return new Hold(release, transaction);
    }

    /**
     * The interleaving most race tests force: {@code lock} runs in a transaction that keeps its locks ({@link #hold});
     * then {@code waiting} starts on {@code pool}, and once it waits on a lock the holder commits. Returns what
     * {@code waiting} returned (at most 60 s).
     */
    public static <T> T afterWaitingOn(DataSource dataSource, ExecutorService pool, Runnable lock,
            java.util.concurrent.Callable<T> waiting) throws Exception {
        Hold held = hold(pool, lock);
        Future<T> result = pool.submit(waiting);
        awaitLockWaits(dataSource, 1);
        held.close();
        return result.get(60, TimeUnit.SECONDS);
    }

    /** Locks held by {@link #hold}; closing commits their transaction (waiting for it, at most 30 s). */
    public record Hold(CountDownLatch release, Future<?> transaction) implements AutoCloseable {

        @Override
        public void close() throws Exception {
            release.countDown();
            transaction.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Inserts {@code count} copies of row {@code templateId} of {@code table} in one statement (PostgreSQL): every
     * column as the template has it, except those in {@code overrides} (column → SQL expression over the series'
     * {@code i} and the template row {@code t}), then analyzes the table. For plan tests that need many rows.
     */
    public static void cloneRows(Connection c, String table, long templateId, int count,
            java.util.Map<String, String> overrides) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            java.util.List<String> columns = new java.util.ArrayList<>();
            try (java.sql.ResultSet r = s.executeQuery("select * from " + table + " where id = " + templateId)) {
                java.sql.ResultSetMetaData m = r.getMetaData();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    columns.add(m.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
            }
            java.util.List<String> values = columns.stream().map(col -> overrides.getOrDefault(col, "t." + col))
                    .toList();
            s.execute(
                    "insert into " + table + " (" + String.join(", ", columns) + ") select " + String.join(", ", values)
                            + " from " + table + " t, generate_series(1, " + count + ") i where t.id = " + templateId);
            s.execute("analyze " + table);
        }
    }

    /**
     * PostgreSQL's {@code explain (analyze, buffers)} of {@code sql} (its {@code ?N} parameters written as plain
     * {@code ?}, bound in order to {@code parameters}), one line of the plan a line.
     */
    public static String explain(DataSource dataSource, String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement p = c
                .prepareStatement("explain (analyze, buffers) " + sql.replaceAll("\\?[0-9]", "?"))) {
            for (int i = 0; i < parameters.length; i++) {
                p.setObject(i + 1, parameters[i]);
            }
            StringBuilder plan = new StringBuilder();
            try (java.sql.ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
