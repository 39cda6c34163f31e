/**
 * Core: access links with a scope (vendor order, customer shipment, staff invitation): issue, resolve, revoke,
 * telemetry of opens, the neutral "not available" page. Uses {@code organization} and the platform; knows no feature
 * and no page (a link's subject is a typed id, not an entity of a feature).
 */
package io.portlink.link;
