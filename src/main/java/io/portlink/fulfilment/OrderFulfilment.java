package io.portlink.fulfilment;

import java.util.List;

import io.portlink.shipment.Milestone;

/**
 * An order's fulfilment, for a page (staff in the organisation's format, the vendor in the vendor's): the derived
 * status, its lines with ordered, shipped and remaining, and its shipments (oldest first, at most
 * {@value Fulfilments#SHIPMENTS_SHOWN}).
 */
public record OrderFulfilment(FulfilmentStatus status, List<OrderFulfilment.LineView> lines,
        List<OrderFulfilment.ShipmentView> shipments) {

    /**
     * One order line: numbers formatted for the reader; {@code remainingInput} is the remaining quantity as a form
     * input wants it (plain, dot).
     */
    public record LineView(int lineNo, String sku, String description, String unit, String ordered, String shipped,
            String remaining, String remainingInput, boolean done) {
    }

    /** One line of a shipment. */
    public record ShippedLine(int lineNo, String description, String quantity, String unit) {
    }

    /**
     * One shipment of the order: dates formatted for the reader; {@code delivered}: it reached a delivered stage.
     */
    public record ShipmentView(long id, String reference, String carrier, String trackingNumber, String shippedOn,
            String expectedDelivery, String stage, Milestone milestone, boolean delivered, List<ShippedLine> lines) {
    }

    /** Something is left to ship. */
    public boolean open() {
        return status == FulfilmentStatus.NOT_SHIPPED || status == FulfilmentStatus.PARTIALLY_SHIPPED;
    }

    /** The latest shipment, or null. */
    public ShipmentView latest() {
        return shipments.isEmpty() ? null : shipments.get(shipments.size() - 1);
    }
}
