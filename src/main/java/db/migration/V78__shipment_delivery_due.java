package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The lateness scan ({@code io.portlink.shipment.LatenessScan}) walks only open shipments whose delivery window has
 * ended. The window's end lived on the delivery stop alone, so the scan joined every open shipment's stops: with many
 * open shipments PostgreSQL read the whole {@code shipment_stop} table at each run. {@code shipment.delivery_due_at}
 * now holds the delivery stop's window end (set where stops are written, {@code ShipmentStops.replace}), filled here
 * for the shipments that can still be late (not delivered, not deleted: neither comes back), and
 * {@code shipment_lateness_due_ix} orders the candidates by it: a run reads the shipments past their window and no
 * other. On PostgreSQL the index holds only open shipments below level 2 that have a window; H2 (dev and tests) has no
 * partial indexes and keeps a full one. It replaces {@code shipment_lateness_scan_ix} (V36), which only the scan read.
 */
public class V78__shipment_delivery_due extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            s.execute("alter table shipment add column delivery_due_at timestamp(6) with time zone");
            s.execute(
                    """
                            update shipment s set delivery_due_at = (select st.window_to from shipment_stop st
                                where st.shipment_id = s.id and st.kind = 'DELIVERY' order by st.position fetch first 1 rows only)
                            where s.delivered_at is null and s.deleted_at is null""");
            s.execute("drop index shipment_lateness_scan_ix");
            s.execute("create index shipment_lateness_due_ix on shipment (delivery_due_at, id)"
                    + (h2 ? "" : " where delivered_at is null and deleted_at is null and late_level < 2"
                            + " and delivery_due_at is not null"));
        }
    }
}
