package db.migration;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The vendor's single carrier and tracking number on a purchase order become a shipment of that order (V31: one order,
 * several shipments). For every order with a tracking number, in the order's organisation:
 * <ul>
 * <li>an organisation without a shipment pipeline first gets the freight pipeline (as {@code Pipelines.ensureDefault}
 * makes it);</li>
 * <li>a shipment {@code <PO reference>-1} (the next free number if taken), titled after the order, delivered to the
 * order's address, with the carrier and tracking number, {@code purchase_order_id} set;</li>
 * <li>an order the vendor marked dispatched or delivered ships all its lines in full, and its shipment stands in the
 * first DISPATCHED (or DELIVERED) stage; any other order (a tracking number given while preparing, or on an order
 * cancelled since) keeps its tracking on a shipment in the first stage with no lines: nothing is counted as shipped
 * that the vendor did not say was.</li>
 * </ul>
 * The order's own columns stay (a copy of its latest shipment's, for the staff list and old API readers).
 */
public class V31_1__order_tracking_to_shipments extends BaseJavaMigration {

    private static final String[][] FREIGHT = { { "Booked", "BOOKED" }, { "Dispatched", "DISPATCHED" },
            { "In transit", "IN_TRANSIT" }, { "Out for delivery", "OUT_FOR_DELIVERY" }, { "Delivered", "DELIVERED" } };

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        record Order(long id, long organizationId, String reference, String status, String address, String carrier,
                String tracking, OffsetDateTime updatedAt, OffsetDateTime closedAt) {
        }
        List<Order> orders = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select id, organization_id, reference, status, delivery_address, carrier, tracking_number, updated_at,"
                        + " closed_at from purchase_order where tracking_number is not null order by id")) {
            while (rs.next()) {
                orders.add(new Order(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class),
                        rs.getObject(9, OffsetDateTime.class)));
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (Order o : orders) {
            long pipeline = pipeline(db, o.organizationId(), now);
            boolean shipped = "DISPATCHED".equals(o.status()) || "DELIVERED".equals(o.status());
            boolean delivered = "DELIVERED".equals(o.status());
            long[] stage = stage(db, pipeline, shipped ? (delivered ? "DELIVERED" : "DISPATCHED") : null);
            String reference = freeReference(db, o.organizationId(), o.reference());
            long id = next(db, "shipment_seq");
            OffsetDateTime at = o.updatedAt() != null ? o.updatedAt() : now;
            try (PreparedStatement s = db.prepareStatement("insert into shipment (id, organization_id, reference,"
                    + " live_reference, reference_key, title, ship_to, pipeline_id, stage_id, stage_changed_at,"
                    + " created_at, updated_at, version, carrier, tracking_number, purchase_order_id, delivered_at,"
                    + " open_exceptions) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 0)")) {
                s.setLong(1, id);
                s.setLong(2, o.organizationId());
                s.setString(3, reference);
                s.setString(4, reference);
                s.setString(5, reference.toLowerCase(Locale.ROOT));
                s.setString(6, "Order " + o.reference());
                s.setString(7, o.address());
                s.setLong(8, pipeline);
                s.setLong(9, stage[0]);
                s.setObject(10, at);
                s.setObject(11, at);
                s.setObject(12, at);
                s.setString(13, o.carrier());
                s.setString(14, o.tracking());
                s.setLong(15, o.id());
                s.setObject(16, delivered ? (o.closedAt() != null ? o.closedAt() : at) : null);
                s.executeUpdate();
            }
            try (PreparedStatement s = db.prepareStatement("insert into shipment_stage_change (id, shipment_id, at,"
                    + " to_stage_id, to_name, to_milestone, actor_type, actor_label)"
                    + " select ?, ?, ?, id, name, milestone, 'SYSTEM', 'Portlink' from shipment_stage where id = ?")) {
                s.setLong(1, next(db, "shipment_stage_change_seq"));
                s.setLong(2, id);
                s.setObject(3, at);
                s.setLong(4, stage[0]);
                s.executeUpdate();
            }
            if (shipped) {
                List<Object[]> lines = new ArrayList<>();
                try (PreparedStatement s = db
                        .prepareStatement("select id, quantity from order_line where order_id = ? order by line_no")) {
                    s.setLong(1, o.id());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            lines.add(new Object[] { rs.getLong(1), rs.getBigDecimal(2) });
                        }
                    }
                }
                for (Object[] line : lines) {
                    try (PreparedStatement s = db.prepareStatement("insert into shipment_line"
                            + " (id, shipment_id, order_line_id, quantity) values (?, ?, ?, ?)")) {
                        s.setLong(1, next(db, "shipment_line_seq"));
                        s.setLong(2, id);
                        s.setLong(3, (Long) line[0]);
                        s.setBigDecimal(4, (BigDecimal) line[1]);
                        s.executeUpdate();
                    }
                }
            }
        }
    }

    /** The organisation's default pipeline; the freight pipeline first if it has none. */
    private static long pipeline(Connection db, long organizationId, OffsetDateTime now) throws SQLException {
        try (PreparedStatement s = db
                .prepareStatement("select pipeline_id from shipment_settings where organization_id = ?")) {
            s.setLong(1, organizationId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        Long pipeline = null;
        try (PreparedStatement s = db
                .prepareStatement("select id from shipment_pipeline where organization_id = ? and name = 'Freight'")) {
            s.setLong(1, organizationId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    pipeline = rs.getLong(1);
                }
            }
        }
        if (pipeline == null) {
            pipeline = next(db, "shipment_pipeline_seq");
            try (PreparedStatement s = db.prepareStatement(
                    "insert into shipment_pipeline (id, organization_id, name, created_at) values (?, ?, 'Freight', ?)")) {
                s.setLong(1, pipeline);
                s.setLong(2, organizationId);
                s.setObject(3, now);
                s.executeUpdate();
            }
            for (int i = 0; i < FREIGHT.length; i++) {
                try (PreparedStatement s = db.prepareStatement("insert into shipment_stage"
                        + " (id, pipeline_id, position, name, milestone) values (?, ?, ?, ?, ?)")) {
                    s.setLong(1, next(db, "shipment_stage_seq"));
                    s.setLong(2, pipeline);
                    s.setInt(3, i);
                    s.setString(4, FREIGHT[i][0]);
                    s.setString(5, FREIGHT[i][1]);
                    s.executeUpdate();
                }
            }
        }
        try (PreparedStatement s = db
                .prepareStatement("insert into shipment_settings (organization_id, pipeline_id) values (?, ?)")) {
            s.setLong(1, organizationId);
            s.setLong(2, pipeline);
            s.executeUpdate();
        }
        return pipeline;
    }

    /** The first stage with that milestone (the first stage when null or absent): {id}. */
    private static long[] stage(Connection db, long pipeline, String milestone) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "select id, milestone from shipment_stage where pipeline_id = ?" + " order by position")) {
            s.setLong(1, pipeline);
            Long first = null;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (first == null) {
                        first = rs.getLong(1);
                    }
                    if (rs.getString(2).equals(milestone)) {
                        return new long[] { rs.getLong(1) };
                    }
                }
            }
            return new long[] { first };
        }
    }

    /** {@code <reference>-1}, or the next number not taken by a live shipment of the organisation (64 characters). */
    private static String freeReference(Connection db, long organizationId, String order) throws SQLException {
        for (int n = 1;; n++) {
            String suffix = "-" + n;
            String candidate = (order.length() + suffix.length() > 64 ? order.substring(0, 64 - suffix.length())
                    : order) + suffix;
            try (PreparedStatement s = db.prepareStatement(
                    "select count(*) from shipment where organization_id = ? and live_reference = ?")) {
                s.setLong(1, organizationId);
                s.setString(2, candidate);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return candidate;
                    }
                }
            }
        }
    }

    private static long next(Connection db, String sequence) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select nextval('" + sequence + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
