package io.portlink.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

import org.postgresql.PGConnection;

/**
 * Two SELECT statements read one after the other on one connection, in one round trip where the database allows it.
 * PostgreSQL's driver sends a statement text that holds two ({@code a;b}) as two statements and one Sync, so the server
 * answers both before the client waits once; other databases (H2 in development and tests) run them one after the
 * other. Either way each statement sees what was committed when it runs (no transaction is opened here), as two
 * separate statements do, and the same SQL runs on both. Used where a page's second read costs as much as its first
 * round trip (the vendor order page: its fulfilment).
 */
public final class OneTrip {

    private OneTrip() {
    }

    /** Binds a statement's parameters from index {@code first} on; returns the index after the last one bound. */
    @FunctionalInterface
    public interface Binder {
        int bind(PreparedStatement ps, int first) throws SQLException;
    }

    /** Reads a statement's rows (the result set is closed afterwards by {@link OneTrip}). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** One SELECT: its text (no {@code ;}), how its parameters are bound and how its rows are read. */
    public record Select<T>(String sql, Binder binder, Reader<T> reader) {
    }

    /** What the two statements read, in order. */
    public record Both<A, B>(A first, B second) {
    }

    /**
     * Runs {@code a}, then {@code b}, on {@code c}: in one round trip when {@code c} is PostgreSQL's (also behind the
     * pool's wrapper), else one after the other.
     *
     * @throws SQLException
     *             the driver's, for either statement
     */
    public static <A, B> Both<A, B> read(Connection c, Select<A> a, Select<B> b) throws SQLException {
        if (!c.isWrapperFor(PGConnection.class)) {
            return new Both<>(one(c, a), one(c, b));
        }
        try (PreparedStatement ps = c.prepareStatement(joined(a.sql(), b.sql()))) {
            b.binder().bind(ps, a.binder().bind(ps, 1));
            if (!ps.execute()) {
                throw new SQLException("The first statement gave no rows: " + a.sql());
            }
            A first;
            try (ResultSet rs = ps.getResultSet()) {
                first = a.reader().read(rs);
            }
            if (!ps.getMoreResults()) {
                throw new SQLException("The second statement gave no rows: " + b.sql());
            }
            try (ResultSet rs = ps.getResultSet()) {
                return new Both<>(first, b.reader().read(rs));
            }
        }
    }

    /** Two statements' texts joined, by the texts. */
    private record Texts(String a, String b) {
    }

    /** At most this many joined texts are kept; past it a text is joined on every call (callers pass constants). */
    private static final int JOINED_KEPT = 32;

    private static final ConcurrentHashMap<Texts, String> JOINED = new ConcurrentHashMap<>();

    /**
     * {@code a;b}, the same String for the same texts: the driver's statement cache hashes and compares the text on
     * every call, which a text joined anew (a few KB) costs in full, and a constant's hash is computed once.
     */
    static String joined(String a, String b) {
        Texts key = new Texts(a, b);
        String known = JOINED.get(key);
        if (known != null) {
            return known;
        }
        String text = a + ";\n" + b;
        if (JOINED.size() < JOINED_KEPT) {
            JOINED.putIfAbsent(key, text);
        }
        return text;
    }

    private static <T> T one(Connection c, Select<T> s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            s.binder().bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return s.reader().read(rs);
            }
        }
    }
}
