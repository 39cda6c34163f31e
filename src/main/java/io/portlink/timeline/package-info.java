/**
 * Core: the timeline, one entry shape (time, actor, kind, details, visibility) for orders and shipments alike. Uses the
 * platform only; knows no feature and no page.
 */
package io.portlink.timeline;
