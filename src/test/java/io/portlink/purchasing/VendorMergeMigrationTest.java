package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import db.migration.V14_1__merge_duplicate_vendors;
import io.portlink.testing.MigrationSchema;

/**
 * The migration that merges duplicate vendors, on a fresh schema of the suite's database (H2, or PostgreSQL with
 * {@code -Dtestdb=postgresql}): migrate to V13, seed vendors that are one vendor written several ways with their orders
 * and links, migrate on, check what is left.
 */
class VendorMergeMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("vendor-merge");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    /** The last version before V14, whatever it is numbered (other migrations may land before this one). */
    private static String beforeMerge() throws java.io.IOException {
        return MigrationSchema.lastBefore("14");
    }

    private Flyway flyway(String target) {
        return schema.flyway(target, new V14_1__merge_duplicate_vendors());
    }

    private Connection connect() throws SQLException {
        return schema.connect();
    }

    private long at = 0;

    private OffsetDateTime next() {
        return OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMinutes(++at);
    }

    private void organization(Connection db, long id) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "insert into organization" + " (id, name, country, time_zone, status, created_at, language)"
                        + " values (?, ?, 'GB', 'Europe/London', 'ACTIVE', ?, 'en')")) {
            s.setLong(1, id);
            s.setString(2, "Org " + id);
            s.setObject(3, next());
            s.executeUpdate();
        }
    }

    private void vendor(Connection db, long id, long org, String name, String email, String phone) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("insert into vendor"
                + " (id, organization_id, name, email, phone, created_at) values (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, id);
            s.setLong(2, org);
            s.setString(3, name);
            s.setString(4, email);
            s.setString(5, phone);
            s.setObject(6, next());
            s.executeUpdate();
        }
    }

    /** An order of the vendor (id = vendor id × 10) with one link (same id). */
    private void order(Connection db, long vendor, long org) throws SQLException {
        long id = vendor * 10;
        try (PreparedStatement s = db.prepareStatement("insert into purchase_order (id, organization_id, vendor_id,"
                + " reference, status, content_hash, created_at, updated_at, version)"
                + " values (?, ?, ?, ?, 'NOTIFIED', 'x', ?, ?, 0)")) {
            s.setLong(1, id);
            s.setLong(2, org);
            s.setLong(3, vendor);
            s.setString(4, "PO-" + id);
            s.setObject(5, next());
            s.setObject(6, next());
            s.executeUpdate();
        }
        try (PreparedStatement s = db.prepareStatement("insert into access_link (id, organization_id, vendor_id,"
                + " order_id, scope, token_hash, token_hint, created_at, open_count, bot_open_count)"
                + " values (?, ?, ?, ?, 'VENDOR', ?, 'pv_x', ?, 0, 0)")) {
            s.setLong(1, id);
            s.setLong(2, org);
            s.setLong(3, vendor);
            s.setLong(4, id);
            s.setString(5, "hash-" + id);
            s.setObject(6, next());
            s.executeUpdate();
        }
    }

    private static Map<Long, Long> vendorOf(Connection db, String table) throws SQLException {
        Map<Long, Long> map = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select id, vendor_id from " + table)) {
            while (rs.next()) {
                map.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return map;
    }

    private static List<String> rows(Connection db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void duplicatesBecomeOneVendorWithTheirOrdersLinksAndATimelineEntry() throws Exception {
        flyway(beforeMerge()).migrate();
        try (Connection db = connect()) {
            organization(db, 1);
            organization(db, 2);
            vendor(db, 1, 1, "Caf\u00E9 Supplies", null, null);
            vendor(db, 2, 1, "Cafe\u0301 Supplies", null, "+44 20 7946 0002"); // decomposed: the same
            vendor(db, 3, 1, "ACME PARTS", "orders@acme.example", null);
            vendor(db, 4, 1, "Acme Parts", "Orders@ACME.example", "+44 20 7946 0004"); // same mailbox
            vendor(db, 5, 1, "Acme\u00A0 parts", null, null); // by name only: joins the one Acme with an address
            vendor(db, 6, 1, "Globex", "north@globex.example", null);
            vendor(db, 7, 1, "GLOBEX", "south@globex.example", null); // another mailbox: another vendor
            vendor(db, 8, 1, "globex", null, null); // which Globex? neither: stays
            vendor(db, 9, 2, "Cafe\u0301 Supplies", null, null); // another organisation; stored composed from now
            for (long v = 1; v <= 9; v++) {
                order(db, v, v == 9 ? 2 : 1);
            }
        }

        flyway("14.1").migrate();

        try (Connection db = connect()) {
            assertEquals(
                    List.of("1|1|Caf\u00E9 Supplies|null|+44 20 7946 0002|caf\u00E9 supplies|n:caf\u00E9 supplies",
                            "3|1|ACME PARTS|orders@acme.example|+44 20 7946 0004|acme parts|e:orders@acme.example",
                            "6|1|Globex|north@globex.example|null|globex|e:north@globex.example",
                            "7|1|GLOBEX|south@globex.example|null|globex|e:south@globex.example",
                            "8|1|globex|null|null|globex|n:globex",
                            "9|2|Caf\u00E9 Supplies|null|null|caf\u00E9 supplies|n:caf\u00E9 supplies"),
                    rows(db, "select id, organization_id, name, email, phone, name_key, match_key from vendor order by id"));

            Map<Long, Long> expected = Map.of(10L, 1L, 20L, 1L, 30L, 3L, 40L, 3L, 50L, 3L, 60L, 6L, 70L, 7L, 80L, 8L,
                    90L, 9L);
            assertEquals(expected, vendorOf(db, "purchase_order"), "orders re-pointed");
            assertEquals(expected, vendorOf(db, "access_link"), "links re-pointed");

            List<String> events = rows(db,
                    "select order_id, actor_type, type, detail from order_event order by order_id");
            assertEquals(3, events.size(), events.toString());
            assertEquals(
                    "20|SYSTEM|VENDOR_MERGED|vendor \"Cafe\u0301 Supplies\" (#2) merged into \"Caf\u00E9 Supplies\""
                            + " (#1): the same vendor written another way",
                    events.get(0));
            assertTrue(
                    events.get(1).startsWith("40|SYSTEM|VENDOR_MERGED|vendor \"Acme Parts\" (#4, orders@acme.example)"
                            + " merged into \"ACME PARTS\" (#3, orders@acme.example)"),
                    events.get(1));
            assertTrue(events.get(2).startsWith("50|SYSTEM|VENDOR_MERGED|vendor \"Acme\u00A0 parts\" (#5)"),
                    events.get(2));
            assertEquals(3, rows(db, "select distinct id from order_event").size(), "each entry its own id");

            // From now on the database itself refuses a second row for one vendor.
            assertThrows(SQLException.class, () -> {
                try (Statement s = db.createStatement()) {
                    s.executeUpdate("insert into vendor (id, organization_id, name, name_key, match_key, created_at)"
                            + " values (100, 1, 'CAFÉ SUPPLIES', 'café supplies', 'n:café supplies', current_timestamp)");
                }
            });
        }
    }

    @Test
    void anEmptyDatabaseAndOneWithoutDuplicatesMigrateUnchanged() throws Exception {
        flyway(beforeMerge()).migrate();
        try (Connection db = connect()) {
            organization(db, 1);
            vendor(db, 1, 1, "Northwind", "orders@northwind.example", null);
            vendor(db, 2, 1, "Contoso", null, null);
            order(db, 1, 1);
            order(db, 2, 1);
        }
        flyway("14.1").migrate();
        try (Connection db = connect()) {
            assertEquals(List.of("1|e:orders@northwind.example", "2|n:contoso"),
                    rows(db, "select id, match_key from vendor order by id"));
            assertEquals(List.of(), rows(db, "select id from order_event"));
        }
    }
}
