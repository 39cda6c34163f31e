package io.portlink.dropship;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.outbox.Webhooks;

/**
 * Tells the merchant's sales channel what its suppliers did, through the merchant's webhook endpoints (Admin →
 * Webhooks): event {@code sales_order.shipped} when a supplier ships (part of) a dropshipment, or the merchant ships
 * lines it keeps ({@code dropshipment} null). Observes {@link DropshipShipped} and {@link OwnShipped} inside the
 * shipment's transaction, so the webhook is queued in the outbox exactly when the shipment commits and is delivered
 * with the outbox's retries, backoff and dead state (issue 11, "tracking back at once").
 */
@ApplicationScoped
public class SalesChannelEvents {

    /** The webhook event type a shipment publishes. */
    public static final String SHIPPED = "sales_order.shipped";

    @Inject
    Webhooks webhooks;

    /**
     * The event's {@code data}: the merchant's own sales order reference and SKUs (never the supplier's ids or prices),
     * the status after this shipment ({@code PARTIALLY_SHIPPED} or {@code SHIPPED}), and this shipment's lines with
     * each sales order line's totals after it.
     */
    public record ShippedData(String salesOrder, String status, String dropshipment, String carrier,
            String trackingNumber, LocalDate shipDate, String shippingMethod, List<Line> lines, Instant shippedAt) {
    }

    /** One shipped line: position and SKU in the sales order, units in this shipment, ordered and shipped totals. */
    public record Line(int position, String sku, int quantity, int quantityOrdered, int quantityShipped) {
    }

    void onShipped(@Observes DropshipShipped shipped) {
        webhooks.publish(shipped.merchantId(), SHIPPED, new ShippedData(shipped.salesOrderReference(),
                shipped.salesOrderStatus().name(), shipped.dropshipmentReference(), shipped.carrier(),
                shipped.trackingNumber(), shipped.shipDate(), shipped.shippingMethod(),
                shipped.lines().stream().map(
                        l -> new Line(l.position(), l.sku(), l.quantity(), l.quantityOrdered(), l.quantityShipped()))
                        .toList(),
                shipped.at()));
    }

    void onOwnShipped(@Observes OwnShipped shipped) {
        webhooks.publish(shipped.merchantId(), SHIPPED, new ShippedData(shipped.salesOrderReference(),
                shipped.salesOrderStatus().name(), null, shipped.carrier(), shipped.trackingNumber(),
                shipped.shipDate(), shipped.shippingMethod(),
                shipped.lines().stream().map(
                        l -> new Line(l.position(), l.sku(), l.quantity(), l.quantityOrdered(), l.quantityShipped()))
                        .toList(),
                shipped.at()));
    }
}
