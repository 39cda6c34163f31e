package io.portlink.shipment;

/**
 * A CDI event fired synchronously, inside the transaction of the change, whenever a shipment's current ETA or its
 * delivery window changed (by staff, the API, a position or a driver), so that delay detection looks again at this one
 * shipment only.
 *
 * @param organizationId
 *            the shipment's organisation
 * @param shipmentId
 *            the shipment
 */
public record ShipmentEtaChanged(long organizationId, long shipmentId) {
}
