package io.portlink.dropship;

/** What happened to a sales order or a dropshipment, as their timelines name it. */
public enum SalesOrderEvent {
    /** The order arrived (API, CSV, webhook). */
    RECEIVED,
    /** Lines went to suppliers as dropshipments. */
    ROUTED,
    /** The merchant cancelled the order (and its dropshipments not yet shipped). */
    CANCELLED,
    /** The merchant changed the ship-to. */
    ADDRESS_CHANGED,
    /** The merchant changed a line's quantity. */
    LINE_CHANGED,
    /** The merchant removed a line. */
    LINE_REMOVED,
    /** A change reached a supplier that already had the dropshipment: a new revision to acknowledge. */
    CHANGE_SENT,
    /** On the supplier's timeline: the merchant changed a dropshipment the supplier has. */
    CHANGED_BY_MERCHANT
}
