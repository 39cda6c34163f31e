package io.portlink.dropship;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A supplier shipped (part of) a dropshipment: fired synchronously inside the transaction that recorded the shipment
 * (so an observer writing to the outbox commits or rolls back with it). Carries what the merchant's sales channel
 * needs: the merchant's SKUs and sales order reference, never the supplier's internal ids. {@code lines}: what this
 * shipment carried, each with the sales order line's totals after it. Statuses are those after this shipment.
 */
public record DropshipShipped(long merchantId, long supplierId, long salesOrderId, String salesOrderReference,
        long dropshipmentId, String dropshipmentReference, long shipmentId, String carrier, String trackingNumber,
        LocalDate shipDate, String shippingMethod, List<Line> lines, Dropshipment.Status dropshipmentStatus,
        SalesOrder.Status salesOrderStatus, Instant at) {

    /**
     * One line of the shipment: the merchant's {@code sku} and line {@code position} in the sales order, units in this
     * shipment, and the sales order line's ordered and shipped totals after it.
     */
    public record Line(int position, String sku, String supplierSku, int quantity, int quantityOrdered,
            int quantityShipped) {
    }
}
