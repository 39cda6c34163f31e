package io.portlink.purchasing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.portlink.link.AccessLink;
import io.portlink.platform.OneTrip;
import io.portlink.platform.SqlTimestamps;

/**
 * The vendor's order page read in few statements, into records (no managed entity, no HQL), on a connection the caller
 * holds: {@link #page} (the link by its token's hash with whether it opens, its organisation, the order it reaches with
 * its vendor, buyer and lines: one statement, one row per line; with it, in the same round trip on PostgreSQL, any
 * statement about the order it reaches: {@link #orderId}) and {@link #pendingChanges} (the unacknowledged revisions,
 * only when the order has some: one). Plain SQL that PostgreSQL and H2 both read; every statement is served by an index
 * on the token's hash, a primary key or the (organization_id, reference), (order_id, line_no) and (purchase_order_id,
 * revision) indexes, so none grows with the number of orders. Values are read as stored: what the vendor sees is
 * decided in {@link VendorDesk}. Errors are the driver's {@link SQLException}s.
 */
final class VendorPageReads {

    private VendorPageReads() {
    }

    /**
     * The order as the page reads it: the fields of {@link PurchaseOrder} the page shows or decides by, its vendor's
     * name and language, its buyer (null fields without one; {@code buyerEnabled} false then) and its lines by line
     * number.
     */
    record Order(long id, String reference, OrderStatus status, String deliveryAddress, LocalDate requestedDate,
            LocalDate expectedDate, String carrier, String trackingNumber, String vendorNote, String declineReason,
            long version, int revision, int acknowledgedRevision, LocalDate reconfirmAskedFor, Instant reconfirmedAt,
            String cancelReason, Instant cancelAcknowledgedAt, Instant notifiedAt, String vendorName,
            String vendorLanguage, boolean hasBuyer, String buyerName, String buyerEmail, boolean buyerEnabled,
            List<VendorDesk.StoredLine> lines) {

        /** As {@link PurchaseOrder#changeUnacknowledged()}. */
        boolean changeUnacknowledged() {
            return acknowledgedRevision < revision;
        }

        /** As {@link PurchaseOrder#cancelUnacknowledged()}. */
        boolean cancelUnacknowledged() {
            return status == OrderStatus.CANCELLED && cancelAcknowledgedAt == null;
        }
    }

    /**
     * A link by its token's hash: its id, whether it opens ({@link AccessLink#isUsable}: not revoked, not expired at
     * {@code now}, organisation active), its organisation (name, logo digest, country, zone, language, purchasing
     * desk), its own order's id and the order it reaches (null when it reaches none by that reference).
     */
    record Page(long linkId, long linkOrderId, boolean usable, String organizationName, String logoDigest,
            String country, String timeZone, String language, String purchasingName, String purchasingEmail,
            String purchasingPhone, Order order) {
    }

    private static final String COLUMNS = "select l.id, " + AccessLink.USABLE_SQL
            + ", l.purchase_order_id, g.name, g.logo_digest, g.country,"
            + " g.time_zone, g.language, g.purchasing_name, g.purchasing_email, g.purchasing_phone,"
            + " o.id, o.reference, o.status, o.delivery_address, o.requested_date, o.expected_date, o.carrier,"
            + " o.tracking_number, o.vendor_note, o.decline_reason, o.version, o.revision, o.acknowledged_revision,"
            + " o.reconfirm_asked_for, o.reconfirmed_at, o.cancel_reason, o.cancel_acknowledged_at, o.notified_at,"
            + " v.name, v.language, o.buyer_id, b.display_name, b.email, b.enabled,"
            + " ol.id, ol.line_no, ol.sku, ol.description, ol.quantity, ol.unit, ol.unit_price, ol.currency"
            + " from access_link l join organization g on g.id = l.organization_id";

    private static final String REST = " left join vendor v on v.id = o.vendor_id"
            + " left join staff_user b on b.id = o.buyer_id left join order_line ol on ol.order_id = o.id"
            + " where l.token_hash = ? and l.scope = ? order by ol.line_no, ol.id";

    // The link's own order, by primary key.
    private static final String OWN = COLUMNS + " left join purchase_order o on o.id = l.purchase_order_id" + REST;

    // Another order of the link's vendor with the same organisation, or the link's own, by the (organization_id,
    // reference) unique index.
    private static final String BY_REFERENCE = COLUMNS
            + " left join purchase_order o on o.organization_id = l.organization_id and o.reference = ?"
            + " and (o.vendor_id = l.vendor_id or o.id = l.purchase_order_id)" + REST;

    // The first 20 vendor-visible revisions after the acknowledged one, oldest first (as the entity read), by the
    // (purchase_order_id, revision) index.
    private static final String PENDING = "select changes from order_revision where purchase_order_id = ?"
            + " and revision > ? and vendor_visible = true order by revision fetch first 20 rows only";

    // The id of the order a link reaches, as a scalar subquery (null when it reaches none), for a statement read with
    // the page (VendorDesk.Companion): the same choice as OWN and BY_REFERENCE make, by the same indexes.
    private static final String OWN_ORDER_ID = "(select l.purchase_order_id from access_link l"
            + " where l.token_hash = ? and l.scope = ?)";
    private static final String ORDER_ID_BY_REFERENCE = "(select o.id from access_link l join purchase_order o"
            + " on o.organization_id = l.organization_id and o.reference = ?"
            + " and (o.vendor_id = l.vendor_id or o.id = l.purchase_order_id) where l.token_hash = ? and l.scope = ?)";

    /**
     * The page's statement for a vendor link by its token's hash (any transaction or none); it reads null for no link
     * of that hash in the vendor scope. {@code reference} null: the link's own order.
     */
    static OneTrip.Select<Page> page(String tokenHash, String reference, Instant now) {
        return new OneTrip.Select<>(reference == null ? OWN : BY_REFERENCE, (ps, first) -> {
            int i = first;
            SqlTimestamps.bind(ps, i++, now);
            if (reference != null) {
                ps.setString(i++, reference);
            }
            ps.setString(i++, tokenHash);
            ps.setString(i++, AccessLink.Scope.VENDOR_ORDER.name());
            return i;
        }, VendorPageReads::page);
    }

    /** The id of the order {@link #page} reaches, as a scalar subquery: its SQL (null when it reaches none). */
    static String orderId(String reference) {
        return reference == null ? OWN_ORDER_ID : ORDER_ID_BY_REFERENCE;
    }

    /** Binds the parameters of one use of {@link #orderId} from {@code first} on; returns the index after them. */
    static int bindOrderId(PreparedStatement ps, int first, String tokenHash, String reference) throws SQLException {
        int i = first;
        if (reference != null) {
            ps.setString(i++, reference);
        }
        ps.setString(i++, tokenHash);
        ps.setString(i++, AccessLink.Scope.VENDOR_ORDER.name());
        return i;
    }

    private static Page page(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        long linkId = rs.getLong(1);
        boolean usable = rs.getInt(2) == 1;
        long linkOrderId = rs.getLong(3);
        String organizationName = rs.getString(4);
        String logoDigest = rs.getString(5);
        String country = rs.getString(6);
        String timeZone = rs.getString(7);
        String language = rs.getString(8);
        String purchasingName = rs.getString(9);
        String purchasingEmail = rs.getString(10);
        String purchasingPhone = rs.getString(11);
        final int o = 11;
        long orderId = rs.getLong(o + 1);
        if (rs.wasNull()) {
            return new Page(linkId, linkOrderId, usable, organizationName, logoDigest, country, timeZone, language,
                    purchasingName, purchasingEmail, purchasingPhone, null);
        }
        String reference = rs.getString(o + 2);
        OrderStatus status = OrderStatus.valueOf(rs.getString(o + 3));
        String deliveryAddress = rs.getString(o + 4);
        LocalDate requestedDate = rs.getObject(o + 5, LocalDate.class);
        LocalDate expectedDate = rs.getObject(o + 6, LocalDate.class);
        String carrier = rs.getString(o + 7);
        String trackingNumber = rs.getString(o + 8);
        String vendorNote = rs.getString(o + 9);
        String declineReason = rs.getString(o + 10);
        long version = rs.getLong(o + 11);
        int revision = rs.getInt(o + 12);
        int acknowledgedRevision = rs.getInt(o + 13);
        LocalDate reconfirmAskedFor = rs.getObject(o + 14, LocalDate.class);
        Instant reconfirmedAt = SqlTimestamps.instant(rs, o + 15);
        String cancelReason = rs.getString(o + 16);
        Instant cancelAcknowledgedAt = SqlTimestamps.instant(rs, o + 17);
        Instant notifiedAt = SqlTimestamps.instant(rs, o + 18);
        String vendorName = rs.getString(o + 19);
        String vendorLanguage = rs.getString(o + 20);
        rs.getLong(o + 21);
        boolean hasBuyer = !rs.wasNull();
        String buyerName = rs.getString(o + 22);
        String buyerEmail = rs.getString(o + 23);
        boolean buyerEnabled = rs.getBoolean(o + 24);
        final int l = o + 24;
        List<VendorDesk.StoredLine> lines = new ArrayList<>();
        do {
            long lineId = rs.getLong(l + 1);
            if (!rs.wasNull()) {
                lines.add(new VendorDesk.StoredLine(lineId, rs.getInt(l + 2), rs.getString(l + 3), rs.getString(l + 4),
                        rs.getBigDecimal(l + 5), rs.getString(l + 6), rs.getBigDecimal(l + 7), rs.getString(l + 8)));
            }
        } while (rs.next());
        Order order = new Order(orderId, reference, status, deliveryAddress, requestedDate, expectedDate, carrier,
                trackingNumber, vendorNote, declineReason, version, revision, acknowledgedRevision, reconfirmAskedFor,
                reconfirmedAt, cancelReason, cancelAcknowledgedAt, notifiedAt, vendorName, vendorLanguage, hasBuyer,
                buyerName, buyerEmail, buyerEnabled, List.copyOf(lines));
        return new Page(linkId, linkOrderId, usable, organizationName, logoDigest, country, timeZone, language,
                purchasingName, purchasingEmail, purchasingPhone, order);
    }

    /**
     * The stored changes ({@link RevisionChange#toJson}) of the order's vendor-visible revisions after
     * {@code acknowledged}, oldest first, at most 20.
     */
    static List<String> pendingChanges(Connection c, long orderId, int acknowledged) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PENDING)) {
            ps.setLong(1, orderId);
            ps.setInt(2, acknowledged);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }
}
