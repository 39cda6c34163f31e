/**
 * Feature: shipments, what a customer tracks. Shipments, pipelines and stages, notes, photos, the CSV import. Uses the
 * core and the platform. Never uses {@code purchasing} (a shipment works without a purchase order) nor any page
 * package.
 */
package io.portlink.shipment;
