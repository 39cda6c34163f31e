package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Stock levels are rewritten in place by every dropship sync (the supplier's available on hand into the merchant's
 * physical on hand, {@code dropship.SyncSteps.writeBackBatch}). On PostgreSQL such an update is "heap only" (no new
 * entries in the table's two indexes) only when the row's page has room for the new version: pages are left 20 % free
 * ({@code fillfactor = 80}), and autovacuum returns the old versions' room after 5 % of the rows changed instead of 20
 * %. Measured on 1,000,000 stock levels with 200,000 changes a round: 3.5 s a round before, 1.2 to 2.1 s after (see
 * README, "The dropship sync"). Existing pages take the setting as they are rewritten. H2 has no such settings; nothing
 * is done there. In Java because H2 would refuse the statement.
 */
public class V50__stock_level_fillfactor extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        if (db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
            return;
        }
        try (Statement s = db.createStatement()) {
            s.execute("alter table stock_level set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05)");
        }
    }
}
