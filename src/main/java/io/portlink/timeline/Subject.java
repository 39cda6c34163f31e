package io.portlink.timeline;

/**
 * What a timeline entry is about: exactly one of a purchase order or a shipment, in one organisation. Plain ids, so the
 * core knows no feature's entities; the database holds the foreign keys.
 */
public record Subject(long organizationId, Long purchaseOrderId, Long shipmentId) {

    public Subject {
        if ((purchaseOrderId == null) == (shipmentId == null)) {
            throw new IllegalArgumentException("a timeline subject is one purchase order or one shipment");
        }
    }

    public static Subject purchaseOrder(long organizationId, long purchaseOrderId) {
        return new Subject(organizationId, purchaseOrderId, null);
    }

    public static Subject shipment(long organizationId, long shipmentId) {
        return new Subject(organizationId, null, shipmentId);
    }
}
