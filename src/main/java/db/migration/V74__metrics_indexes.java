package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * What a scrape of {@code /q/metrics} reads stays cheap however many messages were delivered and runs recorded:
 * {@code outbox_message_open_ix} holds only the messages not sent (pending and dead: the outbox's depth, oldest age and
 * dead count are one index-only scan over them, io.portlink.outbox.OutboxMetrics), and {@code sync_run_succeeded_ix}
 * the successful sync runs (a merchant's last success is one index lookup, io.portlink.dropship.SyncLagMetrics).
 * Partial indexes: PostgreSQL only; H2 (dev and tests) reads its few rows without them. In Java because H2 would refuse
 * the statements.
 */
public class V74__metrics_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        if (db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
            return;
        }
        try (Statement s = db.createStatement()) {
            s.execute("create index outbox_message_open_ix on outbox_message (channel, kind, status, created_at)"
                    + " where status <> 'SENT'");
            s.execute("create index sync_run_succeeded_ix on sync_run (merchant_id, finished_at)"
                    + " where outcome = 'SUCCEEDED'");
        }
    }
}
