/**
 * Feature: purchasing. Purchase orders, their lines and status, vendors (matching, contacts, their language and texts),
 * the CSV import, the staff queue, reminders, and the vendor's actions behind a vendor link; its mails and PDF are in
 * {@code purchasing.mail}. Uses the core ({@code link}, {@code outbox}, {@code timeline}, {@code organization}) and the
 * platform. Never uses {@code shipment} nor any page package.
 */
package io.portlink.purchasing;
