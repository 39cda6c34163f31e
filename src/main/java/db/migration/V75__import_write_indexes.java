package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fewer index entries per new order (a CSV import writes tens of thousands at once), every query keeping its index:
 * <ul>
 * <li>{@code purchase_order_remind_ix} is dropped: the same columns (organisation, status, notified_at) in the same
 * order as {@code purchase_order_notified_ix} (V2), which serves the reminders' and the buckets' reads alike.</li>
 * <li>On PostgreSQL, indexes on a column that a new order (and a new order's timeline entry) leaves empty hold only the
 * rows that have a value: every query using them asks for a value ({@code = ?}, a range, or {@code is not null}), which
 * the planner proves implies the index's condition. Purchase orders: dead mail ({@code mail_dead = true}: the "Dead
 * mail" bucket), tracking number ({@code = ?}: the staff search), reopened ({@code reopened_at is not null}: the
 * "Reopened" bucket), replaced order ({@code = ?}: re-sourcing, foreign key), vendor's sent orders ({@code notified_at}
 * ranges: the vendor scorecard). Timeline entries: of a shipment, sales order or dropshipment ({@code = ?}).</li>
 * </ul>
 * H2 (dev and tests) keeps full indexes: it has no partial ones. In Java because H2 would refuse the statements.
 */
public class V75__import_write_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            s.execute("drop index purchase_order_remind_ix");
            if (h2) {
                return;
            }
            partial(s, "purchase_order_dead_ix", "purchase_order (organization_id)", "mail_dead = true");
            partial(s, "purchase_order_tracking_ix", "purchase_order (organization_id, tracking_number)",
                    "tracking_number is not null");
            partial(s, "purchase_order_reopened_ix", "purchase_order (organization_id, reopened_at)",
                    "reopened_at is not null");
            partial(s, "purchase_order_replaces_ix", "purchase_order (replaces_order_id)",
                    "replaces_order_id is not null");
            partial(s, "purchase_order_vendor_notified_ix", "purchase_order (vendor_id, notified_at)",
                    "notified_at is not null");
            partial(s, "timeline_entry_shipment_ix", "timeline_entry (shipment_id, at)", "shipment_id is not null");
            partial(s, "timeline_entry_sales_order_ix", "timeline_entry (sales_order_id, at)",
                    "sales_order_id is not null");
            partial(s, "timeline_entry_dropshipment_ix", "timeline_entry (dropshipment_id, at)",
                    "dropshipment_id is not null");
        }
    }

    private static void partial(Statement s, String name, String on, String condition) throws Exception {
        s.execute("drop index " + name);
        s.execute("create index " + name + " on " + on + " where " + condition);
    }
}
