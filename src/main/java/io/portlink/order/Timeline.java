package io.portlink.order;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Writes timeline entries; always inside the transaction that made the change. */
@ApplicationScoped
public class Timeline {

    @Inject
    Clock clock;

    public OrderEvent record(PurchaseOrder order, Actor actor, OrderEvent.Type type, String detail) {
        OrderEvent event = new OrderEvent();
        event.order = order;
        event.at = Instant.now(clock);
        event.actorType = actor.type();
        event.actorId = actor.id();
        event.actorLabel = actor.label().length() > 400 ? actor.label().substring(0, 400) : actor.label();
        event.type = type;
        event.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
        event.persist();
        return event;
    }
}
