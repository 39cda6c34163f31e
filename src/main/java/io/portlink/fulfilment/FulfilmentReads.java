package io.portlink.fulfilment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.portlink.shipment.Milestone;

/**
 * An order's fulfilment as the vendor page reads it, in one plain statement (no managed entity, no HQL):
 * {@link #fulfilment} on a connection the caller holds, or {@link #sql} read with the vendor page (its order's id a
 * subquery). PostgreSQL and H2 both read it; it is served by the (order_id, line_no) index of order lines and the
 * purchase_order_id index of shipments, so it does not grow with the number of orders. Errors are the driver's
 * {@link SQLException}s.
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

    /**
     * What the vendor page shows of an order's fulfilment: its shipped lines (by id) and live shipments (oldest first),
     * and the id of the order they were read for (null when the subquery reached none; it may differ from the page's
     * only if the order a reference reaches was replaced between the page's statement and this one: see
     * {@link Fulfilments#forVendorPage}).
     */
    record Read(List<Carried> shippedLines, List<Sent> shipments, Long order) {
    }

    // One statement, one round trip: the order's lines in live shipments (by the order lines' (order_id, line_no)
    // index) and the order's live shipments with their stages, oldest first, at most SHIPMENTS_SHOWN (by the
    // purchase_order_id index), and the order's id itself, as a union of three sources told apart by the first column,
    // in fifteen columns: source, shipment id, order line id, quantity, shipped line id, reference, carrier, tracking
    // number, stage name, milestone, shipped on, expected delivery, delivered at, created at, order id. The order's id
    // is a parameter or a scalar subquery (VendorDesk.Companion), named three times. A union's rows come in no promised
    // order:
    // each source's order is set after reading.
    private static final String NO_ID = "cast(null as bigint)";
    private static final String NO_TEXT = "cast(null as varchar(1))";
    private static final String NO_DATE = "cast(null as date)";
    private static final String NO_TIME = "cast(null as timestamp(6) with time zone)";
    private static final String SHIPPED_LINES = "(select 0, l.shipment_id, l.order_line_id, l.quantity, l.id, "
            + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_DATE + ", "
            + NO_DATE + ", " + NO_TIME + ", " + NO_TIME + ", ol.order_id"
            + " from order_line ol join shipment_line l on l.order_line_id = ol.id"
            + " join shipment s on s.id = l.shipment_id where ol.order_id = %1$s and s.deleted_at is null)";
    private static final String SHIPMENTS = "(select 1, s.id, " + NO_ID + ", cast(null as numeric(19, 4)), " + NO_ID
            + ", s.reference, s.carrier, s.tracking_number, st.name, st.milestone, s.shipped_on, s.estimated_arrival,"
            + " s.delivered_at, s.created_at, s.purchase_order_id from shipment s"
            + " join shipment_stage st on st.id = s.stage_id where s.purchase_order_id = %1$s and s.deleted_at is null"
            + " order by s.created_at, s.id fetch first " + Fulfilments.SHIPMENTS_SHOWN + " rows only)";
    private static final String ORDER = "(select 2, " + NO_ID + ", " + NO_ID + ", cast(null as numeric(19, 4)), "
            + NO_ID + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", " + NO_TEXT + ", "
            + NO_DATE + ", " + NO_DATE + ", " + NO_TIME + ", " + NO_TIME + ", %1$s)";
    private static final String FULFILMENT = SHIPPED_LINES + " union all " + SHIPMENTS + " union all " + ORDER;

    /** {@link #sql} by its argument: one of the few constant texts its callers pass. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> BY_ORDER_ID = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The statement, with {@code orderId} (a parameter or a scalar subquery) where the order's id goes. The same
     * {@code orderId} gives the same String, made once: a page's statement text is hashed and compared by the driver's
     * statement cache on every request, which a text made anew each time costs in full (about 2 % of the vendor page's
     * CPU, measured). Callers pass constants only (a parameter or {@code VendorPageReads}' two subqueries).
     */
    static String sql(String orderId) {
        return BY_ORDER_ID.computeIfAbsent(orderId, FULFILMENT::formatted);
    }

    /** How many times {@link #sql} names the order's id. */
    static final int ORDER_ID_USES = 3;

    /**
     * Every line of the order's lines in a live shipment, as written (by id), and the order's live shipments, oldest
     * first (by creation, then id), at most {@link Fulfilments#SHIPMENTS_SHOWN}.
     */
    static Read fulfilment(Connection c, long orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql("?"))) {
            for (int i = 1; i <= ORDER_ID_USES; i++) {
                ps.setLong(i, orderId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    /** The rows of {@link #sql}, each source in its order. */
    static Read read(ResultSet rs) throws SQLException {
        record Line(long id, Carried carried) {
        }
        record Shipment(Instant createdAt, Sent sent) {
        }
        List<Line> lines = new ArrayList<>();
        List<Shipment> shipments = new ArrayList<>();
        Long order = null;
        while (rs.next()) {
            int source = rs.getInt(1);
            if (source == 2) {
                long id = rs.getLong(15);
                order = rs.wasNull() ? null : id;
            } else if (source == 0) {
                lines.add(new Line(rs.getLong(5), new Carried(rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4))));
            } else {
                shipments.add(new Shipment(rs.getObject(14, OffsetDateTime.class).toInstant(),
                        new Sent(rs.getLong(2), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getObject(11, LocalDate.class), rs.getObject(12, LocalDate.class), rs.getString(9),
                                Milestone.valueOf(rs.getString(10)), rs.getObject(13) != null)));
            }
        }
        lines.sort(Comparator.comparingLong(Line::id));
        shipments.sort(Comparator.comparing(Shipment::createdAt).thenComparingLong(x -> x.sent().id()));
        return new Read(lines.stream().map(Line::carried).toList(), shipments.stream().map(Shipment::sent).toList(),
                order);
    }
}
