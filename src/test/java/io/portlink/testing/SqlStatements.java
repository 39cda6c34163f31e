package io.portlink.testing;

import java.util.function.Supplier;

import org.hibernate.resource.jdbc.spi.StatementInspector;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;

/**
 * Counts the SQL statements Hibernate prepares on the calling thread while {@link #count} runs (a JDBC batch of inserts
 * is one statement): a test can then tell a constant number of queries per batch from one per row, without timing.
 */
@PersistenceUnitExtension
public class SqlStatements implements StatementInspector {

    private static final ThreadLocal<int[]> COUNTER = new ThreadLocal<>();

    /** What {@code work} returned and how many statements it prepared. */
    public record Counted<T>(T result, int statements) {
    }

    @Override
    public String inspect(String sql) {
        int[] counter = COUNTER.get();
        if (counter != null) {
            counter[0]++;
        }
        return sql;
    }

    /** Runs {@code work} on this thread and counts the statements it prepared (nested transactions included). */
    public static <T> Counted<T> count(Supplier<T> work) {
        int[] counter = { 0 };
        COUNTER.set(counter);
        try {
            T result = work.get();
            return new Counted<>(result, counter[0]);
        } finally {
            COUNTER.remove();
        }
    }
}
