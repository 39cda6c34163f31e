package io.portlink.platform;

import java.sql.PreparedStatement;
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

    /**
     * A timestamp parameter in SQL that {@link #bind} binds: the instant's ISO-8601 text ({@code 2026-12-05T14:25:48Z},
     * always UTC) cast to a timestamp with time zone, which PostgreSQL and H2 both read.
     */
    public static final String PARAMETER = "cast(? as timestamp(6) with time zone)";

    /**
     * Binds {@code at} to a {@link #PARAMETER} at {@code index}, as text. For the pages anyone may ask for at any rate:
     * pgjdbc makes a calendar and a date-time formatter for every statement object that binds a timestamp, about 4 % of
     * the vendor page's allocation (measured); a text parameter needs neither.
     */
    public static void bind(PreparedStatement ps, int index, Instant at) throws SQLException {
        ps.setString(index, at.toString());
    }
}
