package io.portlink.purchasing;

import io.portlink.timeline.Actor;

/**
 * A purchase order of which something has shipped was amended (a new revision with at least one change), fired in the
 * amendment's transaction by {@link OrderRevisions}. Observers that act on the amended order do so after it commits
 * ({@code AFTER_SUCCESS}), by its id, under its lock ({@link OrderLocks}); the fulfilment package moves an order
 * amended down to what has shipped on to dispatched or delivered.
 */
public record OrderAmended(long orderId, Actor actor) {
}
