package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The driver link's rules in the database (io.portlink.shipment.DriverLinks, DriverPages), in Java because H2 and
 * PostgreSQL spell a partial unique index differently (as V22_1 does for the tracking link):
 * <ul>
 * <li>driver links of deleted shipments are revoked (deleting a shipment now revokes them, as it does tracking
 * links);</li>
 * <li>at most one active (not revoked) driver link per shipment: older twins are revoked first (the newest stays), then
 * a partial unique index on PostgreSQL; on H2 a generated column holds the shipment id of an active driver link (null
 * otherwise) under a unique index;</li>
 * <li>a position remembers the driver link that sent it ({@code access_link_id}, null for the API), so that a link's
 * positions can be limited to one per 20 seconds of recorded time.</li>
 * </ul>
 */
public class V34__driver_link_rules extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            s.execute("update access_link set revoked_at = current_timestamp where scope = 'DRIVER'"
                    + " and revoked_at is null and shipment_id in (select id from shipment where deleted_at is not null)");
            s.execute("update access_link set revoked_at = current_timestamp where scope = 'DRIVER'"
                    + " and revoked_at is null and exists (select 1 from access_link n where n.scope = 'DRIVER'"
                    + " and n.revoked_at is null and n.shipment_id = access_link.shipment_id and n.id > access_link.id)");
            if (h2) {
                s.execute("alter table access_link add column active_driver_shipment_id bigint generated always as"
                        + " (case when revoked_at is null and scope = 'DRIVER' then shipment_id end)");
                s.execute("create unique index access_link_one_active_driver_uk on access_link"
                        + " (active_driver_shipment_id)");
            } else {
                s.execute("create unique index access_link_one_active_driver_uk on access_link (shipment_id)"
                        + " where revoked_at is null and scope = 'DRIVER'");
            }
            s.execute("alter table shipment_position add column access_link_id bigint references access_link (id)");
            // the link's latest recorded time, for its limit
            s.execute("create index shipment_position_link_ix on shipment_position (access_link_id, recorded_at)");
        }
    }
}
