package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The staff vendor list finds vendors by the start of their name's key or e-mail ({@code like 'acme%'}). PostgreSQL
 * serves such a prefix from a B-tree only with the pattern operator class when the database's collation is not C; these
 * indexes do it whatever the collation. H2 uses the existing {@code (organization_id, name_key)} and
 * {@code (organization_id, email)} indexes for a prefix; nothing is done there. In Java because H2 would refuse the
 * operator class.
 */
public class V57__vendor_search_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        if (db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
            return;
        }
        try (Statement s = db.createStatement()) {
            s.execute(
                    "create index vendor_org_name_key_prefix_ix on vendor (organization_id, name_key varchar_pattern_ops)");
            s.execute("create index vendor_org_email_prefix_ix on vendor (organization_id, email varchar_pattern_ops)");
        }
    }
}
