package io.portlink.timeline;

/**
 * What a timeline entry is about: exactly one of a purchase order, a shipment, a sales order (a dropship merchant's) or
 * a dropshipment (a dropship supplier's part of a sales order), in one organisation. Plain ids, so the core knows no
 * feature's entities; the database holds the foreign keys and the "exactly one" check (V40).
 */
public record Subject(long organizationId, Long purchaseOrderId, Long shipmentId, Long salesOrderId,
        Long dropshipmentId) {

    public Subject {
        int set = (purchaseOrderId == null ? 0 : 1) + (shipmentId == null ? 0 : 1) + (salesOrderId == null ? 0 : 1)
                + (dropshipmentId == null ? 0 : 1);
        if (set != 1) {
            throw new IllegalArgumentException(
                    "a timeline subject is one purchase order, shipment, sales order or dropshipment");
        }
    }

    public static Subject purchaseOrder(long organizationId, long purchaseOrderId) {
        return new Subject(organizationId, purchaseOrderId, null, null, null);
    }

    public static Subject shipment(long organizationId, long shipmentId) {
        return new Subject(organizationId, null, shipmentId, null, null);
    }

    /** A merchant's sales order; {@code organizationId} is the merchant's. */
    public static Subject salesOrder(long organizationId, long salesOrderId) {
        return new Subject(organizationId, null, null, salesOrderId, null);
    }

    /**
     * A dropshipment as one side sees it: {@code organizationId} is the supplier's on the supplier's timeline, the
     * merchant's when the merchant notes something on it.
     */
    public static Subject dropshipment(long organizationId, long dropshipmentId) {
        return new Subject(organizationId, null, null, null, dropshipmentId);
    }

    /** The entity property of the subject's id and its value, for queries on the (subject, at) indexes. */
    String column() {
        return purchaseOrderId != null ? "purchaseOrderId"
                : shipmentId != null ? "shipmentId" : salesOrderId != null ? "salesOrderId" : "dropshipmentId";
    }

    long id() {
        return purchaseOrderId != null ? purchaseOrderId
                : shipmentId != null ? shipmentId : salesOrderId != null ? salesOrderId : dropshipmentId;
    }
}
