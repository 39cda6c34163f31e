package io.portlink.fulfilment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.portlink.shipment.Milestone;

/**
 * An order's fulfilment as the vendor page reads it, in two plain statements (no managed entity, no HQL) on a
 * connection the caller holds: {@link #shippedLines} and {@link #shipments}. PostgreSQL and H2 both read them; each is
 * served by the (order_id, line_no) index of order lines and the purchase_order_id index of shipments, so neither grows
 * with the number of orders. Errors are the driver's {@link SQLException}s.
 */
final class FulfilmentReads {

    private FulfilmentReads() {
    }

    /** A shipped line: of which shipment, which order line, how much (exact). */
    record Carried(long shipmentId, long orderLineId, BigDecimal quantity) {
    }

    /** A live shipment of an order, with its stage's name and milestone; {@code delivered}: it has been delivered. */
    record Sent(long id, String reference, String carrier, String trackingNumber, LocalDate shippedOn,
            LocalDate expectedDelivery, String stage, Milestone milestone, boolean delivered) {
    }

    // The lines of the order's lines in live shipments, in the order they were written (by the order lines' index).
    private static final String SHIPPED_LINES = "select l.shipment_id, l.order_line_id, l.quantity"
            + " from order_line ol join shipment_line l on l.order_line_id = ol.id"
            + " join shipment s on s.id = l.shipment_id where ol.order_id = ? and s.deleted_at is null order by l.id";

    // The order's live shipments, oldest first, with their stages (by the purchase_order_id index).
    private static final String SHIPMENTS = "select s.id, s.reference, s.carrier, s.tracking_number, s.shipped_on,"
            + " s.estimated_arrival, st.name, st.milestone, s.delivered_at from shipment s"
            + " join shipment_stage st on st.id = s.stage_id where s.purchase_order_id = ? and s.deleted_at is null"
            + " order by s.created_at, s.id fetch first " + Fulfilments.SHIPMENTS_SHOWN + " rows only";

    /** Every line of the order's lines in a live shipment, as written (by id). */
    static List<Carried> shippedLines(Connection c, long orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SHIPPED_LINES)) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Carried> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Carried(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3)));
                }
                return out;
            }
        }
    }

    /** The order's live shipments, oldest first (by creation, then id), at most {@link Fulfilments#SHIPMENTS_SHOWN}. */
    static List<Sent> shipments(Connection c, long orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SHIPMENTS)) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Sent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Sent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class), rs.getString(7),
                            Milestone.valueOf(rs.getString(8)), rs.getObject(9) != null));
                }
                return out;
            }
        }
    }
}
