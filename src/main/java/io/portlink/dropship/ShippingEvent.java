package io.portlink.dropship;

/**
 * The timeline kinds the supplier's side writes, on the dropshipment's and on the merchant's sales order's timeline.
 */
public enum ShippingEvent {
    /** A shipment was recorded: carrier, tracking number, lines. */
    SHIPPED,
    /** The order's status moved because of a shipment (sales order: routed → partially shipped → shipped). */
    STATUS,
    /** A shipment was refused and the attempt is kept (a cancelled dropshipment). */
    SHIP_REFUSED,
    /** The supplier acknowledged a revision of the dropshipment. */
    ACKNOWLEDGED
}
