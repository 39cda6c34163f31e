package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Indexes behind the staff's order search (purchasing.OrderQueue) and the export's keyset reads
 * (purchasing.OrderExport).
 * <p>
 * Everywhere: btree indexes on the organisation and each searchable date (requested, expected; created has one since
 * V1) and on (organisation, id), the key an export reads its batches by.
 * <p>
 * On PostgreSQL also trigram GIN indexes (extension {@code pg_trgm}) on the order's reference, the line's SKU and
 * description and the vendor's name, so a search for part of a word ({@code ilike '%01%'}) reads the index instead of
 * every row. The extension is created in schema {@code public} when it is missing (pg_trgm is a trusted extension since
 * PostgreSQL 13: the database's owner may create it); the operator class is named with the schema the extension is in,
 * so the indexes build whatever the search path. H2 has no trigram indexes: nothing more is done there (dev databases
 * are small). In Java because H2 would refuse the statements.
 */
public class V58__order_search_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            s.execute(
                    "create index purchase_order_org_requested_ix on purchase_order (organization_id, requested_date)");
            s.execute("create index purchase_order_org_expected_ix on purchase_order (organization_id, expected_date)");
            s.execute("create index purchase_order_org_id_ix on purchase_order (organization_id, id)");
            if (h2) {
                return;
            }
            s.execute("create extension if not exists pg_trgm with schema public");
            String schema;
            try (ResultSet rs = s.executeQuery("select n.nspname from pg_extension e"
                    + " join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'")) {
                rs.next();
                schema = '"' + rs.getString(1).replace("\"", "\"\"") + '"';
            }
            String ops = schema + ".gin_trgm_ops";
            s.execute("create index purchase_order_reference_trgm_ix on purchase_order using gin (reference " + ops
                    + ")");
            s.execute("create index order_line_sku_trgm_ix on order_line using gin (sku " + ops + ")");
            s.execute("create index order_line_description_trgm_ix on order_line using gin (description " + ops + ")");
            s.execute("create index vendor_name_trgm_ix on vendor using gin (name " + ops + ")");
        }
    }
}
