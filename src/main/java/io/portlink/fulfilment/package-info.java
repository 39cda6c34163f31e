/**
 * Feature orchestration: fulfilment. One purchase order, two audiences: the vendor ships all or part of an order
 * through the vendor link, and each shipment of it ({@code shipment}) is what the customer tracks. Shipment lines
 * (which order lines, how much) and the derived fulfilment status of an order live here. Uses {@code purchasing} and
 * {@code shipment} (which never use each other), the core and the platform; used by the page packages only.
 */
package io.portlink.fulfilment;
