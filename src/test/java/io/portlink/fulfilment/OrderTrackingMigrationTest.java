package io.portlink.fulfilment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import db.migration.V14_1__merge_duplicate_vendors;
import db.migration.V20_1__timeline_entry_sequence;
import db.migration.V22_1__staff_invitations_as_links;
import db.migration.V31_1__order_tracking_to_shipments;
import io.portlink.testing.MigrationSchema;

/**
 * V31_1 on a fresh schema of the suite's database (H2, or PostgreSQL with {@code -Dtestdb=postgresql}): orders with the
 * vendor's single carrier and tracking number become one shipment each; an organisation without a shipment pipeline
 * gets the freight pipeline first.
 */
class OrderTrackingMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("order-tracking");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    private Flyway flyway(String target) {
        return schema.flyway(target, new V14_1__merge_duplicate_vendors(), new V20_1__timeline_entry_sequence(),
                new V22_1__staff_invitations_as_links(), new V31_1__order_tracking_to_shipments());
    }

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    private static void order(Connection db, long id, String status, String carrier, String tracking)
            throws SQLException {
        try (PreparedStatement s = db.prepareStatement("insert into purchase_order (id, organization_id, vendor_id,"
                + " reference, status, delivery_address, carrier, tracking_number, content_hash, created_at,"
                + " updated_at, closed_at, version) values (?, 1, 1, ?, ?, '1 Dock Road', ?, ?, 'x', ?, ?, ?, 0)")) {
            s.setLong(1, id);
            s.setString(2, "PO-" + id);
            s.setString(3, status);
            s.setString(4, carrier);
            s.setString(5, tracking);
            s.setObject(6, AT);
            s.setObject(7, AT);
            s.setObject(8, "DELIVERED".equals(status) ? AT.plusDays(2) : null);
            s.executeUpdate();
        }
        for (int line = 1; line <= 2; line++) {
            try (PreparedStatement s = db.prepareStatement("insert into order_line (id, order_id, line_no, sku,"
                    + " quantity, unit_price, currency) values (?, ?, ?, 'SKU', ?, 9.99, 'GBP')")) {
                s.setLong(1, id * 10 + line);
                s.setLong(2, id);
                s.setInt(3, line);
                s.setBigDecimal(4, new BigDecimal(line * 5));
                s.executeUpdate();
            }
        }
    }

    @Test
    void everyOrderWithTrackingGetsAShipment() throws Exception {
        flyway(MigrationSchema.lastBefore("31")).migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            // an organisation made after V21 without Organizations.create: no pipeline yet
            s.execute("insert into organization (id, name, country, time_zone, status, created_at, language)"
                    + " values (1, 'Org', 'GB', 'Europe/London', 'ACTIVE', current_timestamp, 'en')");
            s.execute("insert into vendor (id, organization_id, name, name_key, match_key, created_at)"
                    + " values (1, 1, 'Acme', 'acme', 'acme'," + " current_timestamp)");
            order(db, 11, "DISPATCHED", "DHL", "JD0146000");
            order(db, 12, "DELIVERED", null, "1Z999");
            order(db, 13, "ACKNOWLEDGED", "UPS", "1Z000");
            order(db, 14, "DISPATCHED", null, null);
        }
        flyway("31.1").migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from shipment_settings where organization_id = 1")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the freight pipeline was made for the organisation");
            }
            assertShipment(db, 11, "PO-11-1", "DHL", "JD0146000", "DISPATCHED", false, 2);
            assertShipment(db, 12, "PO-12-1", null, "1Z999", "DELIVERED", true, 2);
            assertShipment(db, 13, "PO-13-1", "UPS", "1Z000", "BOOKED", false, 0);
            try (ResultSet rs = s.executeQuery("select count(*) from shipment where purchase_order_id = 14")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no tracking, no shipment");
            }
            try (ResultSet rs = s.executeQuery("select sl.quantity from shipment_line sl join shipment sh"
                    + " on sh.id = sl.shipment_id where sh.purchase_order_id = 11 and sl.order_line_id = 112")) {
                rs.next();
                assertEquals(0, new BigDecimal("10").compareTo(rs.getBigDecimal(1)), "the line in full");
            }
        }
    }

    private static void assertShipment(Connection db, long order, String reference, String carrier, String tracking,
            String milestone, boolean delivered, int lines) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("select sh.reference, sh.carrier, sh.tracking_number,"
                + " st.milestone, sh.delivered_at, sh.ship_to, (select count(*) from shipment_line sl where"
                + " sl.shipment_id = sh.id), (select count(*) from shipment_stage_change c where c.shipment_id = sh.id)"
                + " from shipment sh join shipment_stage st on st.id = sh.stage_id where sh.purchase_order_id = ?")) {
            s.setLong(1, order);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(reference, rs.getString(1));
                assertEquals(carrier, rs.getString(2));
                assertEquals(tracking, rs.getString(3));
                assertEquals(milestone, rs.getString(4));
                if (delivered) {
                    assertNotNull(rs.getObject(5));
                } else {
                    assertNull(rs.getObject(5));
                }
                assertEquals("1 Dock Road", rs.getString(6));
                assertEquals(lines, rs.getInt(7));
                assertEquals(1, rs.getInt(8), "its history starts");
            }
        }
    }
}
