package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;

/**
 * A purchase order's timeline entries, written through the shared {@link Timeline} inside the transaction that made the
 * change. Order entries are the buyer's: internal.
 */
@ApplicationScoped
public class OrderTimeline {

    @Inject
    Timeline timeline;

    public TimelineEntry record(PurchaseOrder order, Actor actor, OrderEvent kind, String detail) {
        return timeline.record(Subject.purchaseOrder(order.organization.id, order.id), actor, kind, detail,
                Visibility.INTERNAL);
    }
}
