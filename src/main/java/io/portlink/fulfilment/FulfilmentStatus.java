package io.portlink.fulfilment;

/**
 * Where an order's goods stand, derived from its shipments (never stored): nothing shipped, some lines or quantities
 * still to ship (a backorder), all shipped, or all shipped and every shipment of the order delivered.
 */
public enum FulfilmentStatus {
    NOT_SHIPPED("Not shipped"), PARTIALLY_SHIPPED("Partially shipped"), SHIPPED("Shipped"), DELIVERED("Delivered");

    /** How staff pages say it (vendor pages use the vendor's language). */
    public final String label;

    FulfilmentStatus(String label) {
        this.label = label;
    }
}
