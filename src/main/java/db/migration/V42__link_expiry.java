package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The link expiry job (io.portlink.link.LinkExpiry), in Java because H2 and PostgreSQL spell a partial index
 * differently (as V34 does):
 * <ul>
 * <li>{@code access_link.expired_at}: when the job marked the link expired (null while it has not, or after staff gave
 * it back its life);</li>
 * <li>the job's queue, the links whose expiry may have passed and that are not marked yet: a partial index on
 * PostgreSQL that holds only those (so a run's cost follows them, not the table); a plain index on {@code expires_at}
 * on H2;</li>
 * <li>on PostgreSQL, the live tracking and driver links by id (they also end some days after their shipment's delivery,
 * which the job checks on each);</li>
 * <li>"Expired today" in the staff link list: the organisation's links by expiry;</li>
 * <li>the used form nonces the job drops per link ({@code portal_submission}, {@code driver_form_use}), by link.</li>
 * </ul>
 */
public class V42__link_expiry extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            s.execute("alter table access_link add column expired_at timestamp(6) with time zone");
            if (h2) {
                s.execute("create index access_link_expiry_due_ix on access_link (expires_at)");
            } else {
                s.execute("create index access_link_expiry_due_ix on access_link (expires_at) where expired_at is null"
                        + " and revoked_at is null and expires_at is not null"
                        + " and scope in ('VENDOR_ORDER', 'CUSTOMER_SHIPMENT', 'DRIVER')");
                // a shipment's links also end some days after its delivery: the job walks its live links by id
                s.execute("create index access_link_live_shipment_ix on access_link (id) where expired_at is null"
                        + " and revoked_at is null and scope in ('CUSTOMER_SHIPMENT', 'DRIVER')");
            }
            s.execute("create index access_link_org_expires_ix on access_link (organization_id, expires_at)");
            s.execute("create index portal_submission_link_ix on portal_submission (link_id)");
            s.execute("create index driver_form_use_link_ix on driver_form_use (access_link_id)");
        }
    }
}
