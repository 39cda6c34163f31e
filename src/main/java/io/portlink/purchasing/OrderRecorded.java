package io.portlink.purchasing;

import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;

/**
 * An entry was written on a purchase order's timeline ({@link OrderTimeline}), fired synchronously inside the
 * transaction of the change: an observer's writes commit with the change or not at all, and one that throws rolls the
 * change back. {@code entry.id} is the event's identity (one entry, one event), whatever observer sees it how often.
 */
public record OrderRecorded(PurchaseOrder order, TimelineEntry entry, OrderEvent kind, Actor actor) {
}
