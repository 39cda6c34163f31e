/**
 * Feature orchestration: dropship. A merchant organisation connects suppliers (other organisations) by invitation,
 * marks products "dropship from" a supplier, routes sales orders so each supplier gets a dropshipment with only its own
 * lines, and syncs on the merchant's own interval: dropshipments out, the suppliers' available on hand back into the
 * merchant's physical on hand. The supplier ships; the merchant's order and its sales channel learn at once. Uses
 * {@code inventory}, the core and the platform; used by the page packages only.
 */
package io.portlink.dropship;
