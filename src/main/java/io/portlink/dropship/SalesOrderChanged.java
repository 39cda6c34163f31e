package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Fired (CDI, synchronously, inside the change's transaction) once per change of a merchant's sales order that reached
 * its routing: routed, cancelled, ship-to changed, a line's quantity changed, a line removed. A change that changes
 * nothing (the same ship-to or quantity again, a routing that routes no line) fires nothing. {@link SalesChannelEvents}
 * turns it into the merchant's signed webhook in the same transaction. {@code summary} is what the merchant's timeline
 * says (for a cancel: the reason); nothing here carries the supplier's unit cost, and a line's {@code unitPrice} only
 * when the connection passes prices to the supplier.
 *
 * @param status
 *            the sales order's status after the change
 * @param dropshipments
 *            the dropshipments the change made (ROUTED) or reached (the others), with their revision after it
 * @param kept
 *            ROUTED only: the lines that stay with the merchant, and why (else empty)
 * @param shipTo
 *            SHIP_TO_CHANGED only: the new ship-to (else null)
 * @param line
 *            LINE_CHANGED and LINE_REMOVED only: the line and its quantity before and after (0 when removed)
 * @param at
 *            when the change was made (the service's clock)
 */
public record SalesOrderChanged(long merchantId, String reference, Kind kind, String summary, String status,
        List<Copy> dropshipments, List<Routing.Kept> kept, ShipTo shipTo, LineChange line, Instant at) {

    public enum Kind {
        ROUTED, CANCELLED, SHIP_TO_CHANGED, LINE_CHANGED, LINE_REMOVED
    }

    /**
     * A dropshipment as the change left it: its reference, the supplier's name (the merchant's connection), its
     * revision, whether the supplier has it (sent by the sync; then a change waits for the supplier's acknowledgement),
     * and for ROUTED its lines (else empty).
     */
    public record Copy(String reference, String supplier, int revision, boolean sentToSupplier, List<CopyLine> lines) {
    }

    /**
     * A line of a routed dropshipment: the sales order line's position and the merchant's SKU, the supplier's SKU,
     * units, and the unit price the supplier is shown (null unless the connection passes prices).
     */
    public record CopyLine(int position, String sku, String supplierSku, String description, int quantity,
            BigDecimal unitPrice) {
    }

    /** A ship-to as the order now has it; {@code company} and {@code phone} may be null. */
    public record ShipTo(String name, String company, String address, String phone) {
    }

    /** A sales order line's change: its position and SKU, units before and after (0: removed). */
    public record LineChange(int position, String sku, int quantityBefore, int quantity) {
    }
}
