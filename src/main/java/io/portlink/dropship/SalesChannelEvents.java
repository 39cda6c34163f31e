package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.portlink.outbox.WebhookEventTypes;
import io.portlink.outbox.Webhooks;

/**
 * Tells the merchant's sales channel what happened to its dropshipped sales orders, through the merchant's webhook
 * endpoints (Admin → Webhooks): {@code sales_order.routed}, {@code sales_order.changed}, {@code sales_order.cancelled}
 * (from {@link SalesOrderChanged}), {@code dropshipment.acknowledged} (from {@link DropshipAcknowledged}) and
 * {@code sales_order.shipped} (from {@link DropshipShipped}, or {@link OwnShipped} when the merchant ships lines it
 * keeps, with {@code dropshipment} null). Each observes its CDI event inside the change's transaction, so the webhook
 * is queued in the outbox exactly when the change commits (once per change: a repeat that changes nothing fires no CDI
 * event) and is delivered with the outbox's retries, backoff and dead state (issue 11, "tracking back at once"). The
 * data speaks the merchant's language (its references and SKUs) and never carries the supplier's unit cost; a line's
 * {@code unitPrice} only when the connection passes prices to the supplier. The JSON shapes are the README's
 * (Webhooks).
 */
@ApplicationScoped
public class SalesChannelEvents implements WebhookEventTypes {

    /** The webhook event type a shipment publishes. */
    public static final String SHIPPED = "sales_order.shipped";
    /** A routing made dropshipments of the order. */
    public static final String ROUTED = "sales_order.routed";
    /** The merchant changed the ship-to, a line's quantity, or removed a line. */
    public static final String CHANGED = "sales_order.changed";
    /** The merchant cancelled the order. */
    public static final String CANCELLED = "sales_order.cancelled";
    /** A supplier acknowledged a revision of a dropshipment. */
    public static final String ACKNOWLEDGED = "dropshipment.acknowledged";

    /** Every type this feature publishes, the README's Webhooks table: endpoints may ask for these. */
    public static final List<String> TYPES = List.of(SHIPPED, ROUTED, CHANGED, CANCELLED, ACKNOWLEDGED);

    @Inject
    Webhooks webhooks;

    @Override
    public List<String> eventTypes() {
        return TYPES;
    }

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

    /**
     * {@code sales_order.routed}: the order's status after routing ({@code ROUTED}, or {@code OPEN} while a supplier is
     * not connected), the dropshipments this routing made, and the lines that stay with the merchant.
     */
    public record RoutedData(String salesOrder, String status, List<RoutedDropshipment> dropshipments,
            List<Routing.Kept> kept, Instant routedAt) {
    }

    /** A dropshipment a routing made: its reference, the supplier's name, revision 1, its lines. */
    public record RoutedDropshipment(String reference, String supplier, int revision, List<RoutedLine> lines) {
    }

    /**
     * A routed line: the sales order line's position, the merchant's and the supplier's SKU, units; {@code unitPrice}
     * (the merchant's price, as the supplier sees it) only when the connection passes prices, else absent.
     */
    public record RoutedLine(int position, String sku, String supplierSku, String description, int quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal unitPrice) {
    }

    /**
     * {@code sales_order.changed}: what changed ({@code SHIP_TO}, {@code LINE_QUANTITY}, {@code LINE_REMOVED}), the
     * timeline's summary, the new ship-to or the line's change (the other one absent), and each dropshipment the change
     * reached with its revision after it.
     */
    public record ChangedData(String salesOrder, String change, String summary,
            @JsonInclude(JsonInclude.Include.NON_NULL) SalesOrderChanged.ShipTo shipTo,
            @JsonInclude(JsonInclude.Include.NON_NULL) SalesOrderChanged.LineChange line,
            List<ReachedDropshipment> dropshipments, Instant changedAt) {
    }

    /**
     * A dropshipment a change reached: its revision after the change and whether the supplier has it; when it has, the
     * revision went up and the supplier must acknowledge it ({@code dropshipment.acknowledged} follows).
     */
    public record ReachedDropshipment(String reference, String supplier, int revision, boolean sentToSupplier) {
    }

    /** {@code sales_order.cancelled}: the reason the merchant gave, and each dropshipment cancelled with it. */
    public record CancelledData(String salesOrder, String status, String reason,
            List<ReachedDropshipment> dropshipments, Instant cancelledAt) {
    }

    /**
     * {@code dropshipment.acknowledged}: which revision of which dropshipment the supplier acknowledged, the change it
     * acknowledged (absent for revision 1), and the dropshipment's status ({@code CANCELLED} for an acknowledged
     * cancel).
     */
    public record AcknowledgedData(String salesOrder, String dropshipment, String supplier, int revision,
            @JsonInclude(JsonInclude.Include.NON_NULL) String change, String status, Instant acknowledgedAt) {
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

    void onChanged(@Observes SalesOrderChanged e) {
        switch (e.kind()) {
        case ROUTED -> webhooks.publish(e.merchantId(), ROUTED,
                new RoutedData(e.reference(), e.status(), e.dropshipments().stream()
                        .map(d -> new RoutedDropshipment(d.reference(), d.supplier(), d.revision(),
                                d.lines().stream()
                                        .map(l -> new RoutedLine(l.position(), l.sku(), l.supplierSku(),
                                                l.description(), l.quantity(), l.unitPrice()))
                                        .toList()))
                        .toList(), e.kept(), e.at()));
        case CANCELLED -> webhooks.publish(e.merchantId(), CANCELLED,
                new CancelledData(e.reference(), e.status(), e.summary(), reached(e), e.at()));
        case SHIP_TO_CHANGED, LINE_CHANGED, LINE_REMOVED -> webhooks.publish(e.merchantId(), CHANGED, new ChangedData(
                e.reference(), change(e.kind()), e.summary(), e.shipTo(), e.line(), reached(e), e.at()));
        }
    }

    void onAcknowledged(@Observes DropshipAcknowledged a) {
        webhooks.publish(a.merchantId(), ACKNOWLEDGED, new AcknowledgedData(a.salesOrderReference(),
                a.dropshipmentReference(), a.supplier(), a.revision(), a.change(), a.status(), a.at()));
    }

    private static List<ReachedDropshipment> reached(SalesOrderChanged e) {
        return e.dropshipments().stream()
                .map(d -> new ReachedDropshipment(d.reference(), d.supplier(), d.revision(), d.sentToSupplier()))
                .toList();
    }

    /** The {@code change} of {@code sales_order.changed}: named for the channel, not after the timeline's kinds. */
    private static String change(SalesOrderChanged.Kind kind) {
        return switch (kind) {
        case SHIP_TO_CHANGED -> "SHIP_TO";
        case LINE_CHANGED -> "LINE_QUANTITY";
        case LINE_REMOVED -> "LINE_REMOVED";
        default -> throw new IllegalArgumentException("not a change: " + kind);
        };
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
