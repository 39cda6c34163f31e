package io.portlink.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Timestamp columns ({@code timestamp with time zone}, as every Portlink timestamp is) read outside the entities: from
 * a native query's row or a JDBC result set. The instant is the same whatever the session's or the JVM's zone.
 */
public final class SqlTimestamps {

    private SqlTimestamps() {
    }

    /**
     * A timestamp as a native query hands it over: an {@link Instant}, an {@link OffsetDateTime} or a
     * {@link Timestamp}, depending on the database and driver; null stays null.
     *
     * @throws IllegalStateException
     *             when the value is no timestamp (a query that selects the wrong column)
     */
    public static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("a timestamp was expected, got " + value.getClass().getName());
    }

    /** Column {@code column} (1-based) of the current row as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime at = rows.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
