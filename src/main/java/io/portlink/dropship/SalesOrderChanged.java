package io.portlink.dropship;

/**
 * Fired (CDI, synchronously, inside the change's transaction) when a merchant's sales order is routed or changed after
 * routing, for whoever tells the merchant's sales channel (a signed outbound webhook through the outbox, once that
 * exists). {@code summary} is what the merchant's timeline says; it never carries a supplier's prices.
 */
public record SalesOrderChanged(long merchantId, String reference, Kind kind, String summary) {

    public enum Kind {
        ROUTED, CANCELLED, SHIP_TO_CHANGED, LINE_CHANGED, LINE_REMOVED
    }
}
