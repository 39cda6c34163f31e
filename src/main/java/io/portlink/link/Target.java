package io.portlink.link;

/**
 * A link's subject as its typed ids: exactly the ones its kind needs are set ({@link AccessLink.Subject}). Build one
 * with {@link #purchaseOrder}, {@link #shipment} or {@link #staffUser}.
 */
public record Target(AccessLink.Subject kind, Long purchaseOrderId, Long vendorId, Long shipmentId, Long staffUserId) {

    /** A vendor's order (both ids required). */
    public static Target purchaseOrder(long purchaseOrderId, long vendorId) {
        return new Target(AccessLink.Subject.PURCHASE_ORDER, purchaseOrderId, vendorId, null, null);
    }

    public static Target shipment(long shipmentId) {
        return new Target(AccessLink.Subject.SHIPMENT, null, null, shipmentId, null);
    }

    public static Target staffUser(long staffUserId) {
        return new Target(AccessLink.Subject.STAFF_USER, null, null, null, staffUserId);
    }

    /** The subject of a link row. */
    public static Target of(AccessLink link) {
        return new Target(link.scope.subject, link.purchaseOrderId, link.vendorId, link.shipmentId, link.staffUserId);
    }
}
