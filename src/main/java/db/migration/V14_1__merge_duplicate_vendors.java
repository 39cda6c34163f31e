package db.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.portlink.purchasing.VendorNames;

/**
 * Fills the vendor keys added by V14, merges the vendors they show to be one, and makes the keys unique per
 * organisation. In Java because neither H2 nor PostgreSQL SQL can apply the same Unicode normalisation and case folding
 * ({@link VendorNames}). Flyway finds it by its package ({@code db.migration}, the default location).
 * <p>
 * Within an organisation, vendors with the same match key (same e-mail address, or same name key without an address)
 * become the oldest of them; then a vendor known by name only joins the one vendor of that name that has an address,
 * when there is exactly one (what {@code Vendors.findOrCreate} does for a new row). Every column that points at a
 * vendor is re-pointed (found in the database's metadata, so tables added later are covered), each re-pointed order
 * gets a timeline entry, and the merged vendor rows are deleted. The survivor keeps its name (stored composed, NFC) and
 * address, and takes the phone and language it lacked.
 */
public class V14_1__merge_duplicate_vendors extends BaseJavaMigration {

    /** One vendor row as it is before the migration. */
    private static final class Row {
        final long id;
        final long organizationId;
        final String name;
        final String email;
        String phone;
        String language;
        final String nameKey;
        final String matchKey;

        Row(ResultSet rs) throws SQLException {
            id = rs.getLong("id");
            organizationId = rs.getLong("organization_id");
            name = rs.getString("name");
            String mail = rs.getString("email");
            email = mail == null || mail.isBlank() ? null : mail.strip().toLowerCase(Locale.ROOT);
            phone = rs.getString("phone");
            language = rs.getString("language");
            nameKey = VendorNames.key(name);
            matchKey = VendorNames.matchKey(email, name);
        }

        String describe() {
            return "\"" + name + "\" (#" + id + (email == null ? "" : ", " + email) + ")";
        }
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        List<String[]> references = vendorReferences(db);
        Map<Long, List<Row>> byOrganization = new LinkedHashMap<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select id, organization_id, name, email, phone, language from vendor"
                        + " order by organization_id, created_at, id")) {
            while (rs.next()) {
                Row row = new Row(rs);
                byOrganization.computeIfAbsent(row.organizationId, k -> new ArrayList<>()).add(row);
            }
        }
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        for (List<Row> vendors : byOrganization.values()) {
            for (Map.Entry<Row, List<Row>> merge : merges(vendors).entrySet()) {
                for (Row gone : merge.getValue()) {
                    merge(db, h2, references, merge.getKey(), gone);
                }
            }
        }
        try (PreparedStatement keys = db.prepareStatement(
                "update vendor set name_key = ?, match_key = ?, email = ?, phone = ?, language = ?, name = ? where id = ?")) {
            for (List<Row> vendors : byOrganization.values()) {
                for (Row v : vendors) {
                    keys.setString(1, v.nameKey);
                    keys.setString(2, v.matchKey);
                    keys.setString(3, v.email);
                    keys.setString(4, v.phone);
                    keys.setString(5, v.language);
                    // composed, as new vendors are stored: it looks the same and prints and searches alike
                    keys.setString(6, Normalizer.normalize(v.name, Normalizer.Form.NFC));
                    keys.setLong(7, v.id);
                    keys.addBatch();
                }
            }
            keys.executeBatch();
        }
        try (Statement s = db.createStatement()) {
            s.execute("alter table vendor alter column name_key set not null");
            s.execute("alter table vendor alter column match_key set not null");
            s.execute("create unique index vendor_org_match_uk on vendor (organization_id, match_key)");
            s.execute("create index vendor_org_name_key_ix on vendor (organization_id, name_key)");
        }
    }

    /**
     * Survivor → the vendors it absorbs, for one organisation's vendors (oldest first). Absorbed rows are removed from
     * {@code vendors}, so that what remains is one row per vendor.
     */
    static Map<Row, List<Row>> merges(List<Row> vendors) {
        Map<Row, List<Row>> merges = new LinkedHashMap<>();
        Map<String, Row> byMatch = new LinkedHashMap<>();
        for (Row v : vendors) {
            Row first = byMatch.putIfAbsent(v.matchKey, v);
            if (first != null) {
                merges.computeIfAbsent(first, k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, List<Row>> withAddress = new LinkedHashMap<>();
        for (Row v : byMatch.values()) {
            if (v.email != null) {
                withAddress.computeIfAbsent(v.nameKey, k -> new ArrayList<>()).add(v);
            }
        }
        for (Row v : byMatch.values()) {
            List<Row> named = withAddress.get(v.nameKey);
            if (v.email == null && named != null && named.size() == 1) {
                Row survivor = named.get(0);
                List<Row> absorbed = merges.computeIfAbsent(survivor, k -> new ArrayList<>());
                absorbed.add(v);
                absorbed.addAll(merges.getOrDefault(v, List.of()));
                merges.remove(v);
            }
        }
        Set<Row> gone = new LinkedHashSet<>();
        merges.values().forEach(gone::addAll);
        vendors.removeAll(gone);
        return merges;
    }

    private static void merge(Connection db, boolean h2, List<String[]> references, Row survivor, Row gone)
            throws SQLException {
        if (survivor.phone == null) {
            survivor.phone = gone.phone;
        }
        if (survivor.language == null) {
            survivor.language = gone.language;
        }
        List<Long> orders = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("select id from purchase_order where vendor_id = ?")) {
            s.setLong(1, gone.id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    orders.add(rs.getLong(1));
                }
            }
        }
        String detail = "vendor " + gone.describe() + " merged into " + survivor.describe()
                + ": the same vendor written another way";
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement event = db.prepareStatement(
                "insert into order_event" + " (id, order_id, at, actor_type, actor_id, actor_label, type, detail)"
                        + " values (?, ?, ?, 'SYSTEM', null, 'Portlink', 'VENDOR_MERGED', ?)")) {
            for (long order : orders) {
                event.setLong(1, nextEventId(db, h2));
                event.setLong(2, order);
                event.setObject(3, now);
                event.setString(4, detail.length() > 2000 ? detail.substring(0, 2000) : detail);
                event.executeUpdate();
            }
        }
        for (String[] reference : references) {
            try (PreparedStatement s = db.prepareStatement(
                    "update " + reference[0] + " set " + reference[1] + " = ? where " + reference[1] + " = ?")) {
                s.setLong(1, survivor.id);
                s.setLong(2, gone.id);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = db.prepareStatement("delete from vendor where id = ?")) {
            s.setLong(1, gone.id);
            s.executeUpdate();
        }
    }

    /**
     * One value of Hibernate's pooled sequence, used as the id itself: Hibernate's own blocks each hold exactly one
     * sequence value (the one it fetched), never one fetched here.
     */
    private static long nextEventId(Connection db, boolean h2) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s
                .executeQuery(h2 ? "select next value for order_event_seq" : "select nextval('order_event_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every (table, column) that points at a vendor: foreign keys to it, and any column named vendor_id. */
    private static List<String[]> vendorReferences(Connection db) throws SQLException {
        DatabaseMetaData meta = db.getMetaData();
        String schema = db.getSchema();
        boolean upper = meta.storesUpperCaseIdentifiers();
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> references = new ArrayList<>();
        try (ResultSet rs = meta.getExportedKeys(null, schema, upper ? "VENDOR" : "vendor")) {
            while (rs.next()) {
                add(rs.getString("FKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"), seen, references);
            }
        }
        try (ResultSet rs = meta.getColumns(null, schema, "%", upper ? "VENDOR_ID" : "vendor_id")) {
            while (rs.next()) {
                String type = tableType(meta, schema, rs.getString("TABLE_NAME"));
                if ("TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type)) { // H2 says BASE TABLE
                    add(rs.getString("TABLE_NAME"), rs.getString("COLUMN_NAME"), seen, references);
                }
            }
        }
        return references;
    }

    private static String tableType(DatabaseMetaData meta, String schema, String table) throws SQLException {
        try (ResultSet rs = meta.getTables(null, schema, table, null)) {
            return rs.next() ? rs.getString("TABLE_TYPE") : null;
        }
    }

    private static void add(String table, String column, Set<String> seen, List<String[]> references) {
        String t = table.toLowerCase(Locale.ROOT);
        String c = column.toLowerCase(Locale.ROOT);
        if (!t.equals("vendor") && seen.add(t + "." + c)) {
            references.add(new String[] { t, c });
        }
    }
}
