package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;

/**
 * A purchase order's timeline entries, written through the shared {@link Timeline} inside the transaction that made the
 * change. Order entries are the buyer's: internal. Each entry is announced as {@link OrderRecorded} in that transaction
 * (what needs a buyer is told from there: {@link BuyerNotices}).
 */
@ApplicationScoped
public class OrderTimeline {

    @Inject
    Timeline timeline;

    @Inject
    Event<OrderRecorded> recorded;

    /** Appends the entry and announces it ({@link OrderRecorded}); in the caller's transaction. */
    public TimelineEntry record(PurchaseOrder order, Actor actor, OrderEvent kind, String detail) {
        TimelineEntry entry = timeline.record(Subject.purchaseOrder(order.organization.id, order.id), actor, kind,
                detail, Visibility.INTERNAL);
        recorded.fire(new OrderRecorded(order, entry, kind, actor));
        return entry;
    }
}
