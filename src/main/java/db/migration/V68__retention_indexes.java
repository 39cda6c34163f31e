package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The retention job's queues (io.portlink.shipment.ShipmentRetention), in Java because H2 and PostgreSQL spell a
 * partial index differently (as V42 does): per organisation, the delivered shipments whose images, or whose positions,
 * the job has not removed yet, by delivery time. On PostgreSQL the indexes hold only those rows, so a run's cost
 * follows the shipments still to do, not the table; H2 gets plain indexes.
 */
public class V68__retention_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            for (String marker : new String[] { "images", "positions" }) {
                String index = "create index shipment_" + marker
                        + "_retention_ix on shipment (organization_id, delivered_at, id)";
                s.execute(h2 ? index : index + " where delivered_at is not null and " + marker + "_removed_at is null");
            }
        }
    }
}
