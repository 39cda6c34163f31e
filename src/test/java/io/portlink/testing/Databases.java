package io.portlink.testing;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;

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
}
