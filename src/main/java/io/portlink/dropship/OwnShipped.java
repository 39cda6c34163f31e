package io.portlink.dropship;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The merchant shipped (part of) the lines of a sales order it keeps: fired synchronously inside the transaction that
 * recorded the shipment, like {@link DropshipShipped}, whose {@link DropshipShipped.Line} it shares (the supplier SKU
 * is null). The sales order's status is the one after this shipment.
 */
public record OwnShipped(long merchantId, long salesOrderId, String salesOrderReference, long shipmentId,
        String carrier, String trackingNumber, LocalDate shipDate, String shippingMethod,
        List<DropshipShipped.Line> lines, SalesOrder.Status salesOrderStatus, Instant at) {
}
