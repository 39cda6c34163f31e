package io.portlink.outbox;

import java.time.Instant;

/**
 * What the outbox tells features about their messages, as CDI events fired synchronously inside the outbox's
 * transaction: an observer's writes commit together with the outbox's record, and an observer that throws rolls both
 * back (a delivered event is then fired again by the next run; a give-up when the message is next claimed). Observers
 * select their messages by {@code kind} (or subject) and ignore the rest.
 */
public final class OutboxEvents {

    private OutboxEvents() {
    }

    /** What a message is about: at most one id is set; both null for messages about nothing (an invitation). */
    public record Subject(Long purchaseOrderId, Long shipmentId) {

        public static final Subject NONE = new Subject(null, null);

        public Subject {
            if (purchaseOrderId != null && shipmentId != null) {
                throw new IllegalArgumentException("a message has one subject at most");
            }
        }

        public static Subject purchaseOrder(long id) {
            return new Subject(id, null);
        }

        public static Subject shipment(long id) {
            return new Subject(null, id);
        }
    }

    /**
     * The server took the message ({@code at}, UTC). Fired in the transaction that clears the message's pending flag,
     * so what observers write commits once with it; when an observer fails (or the run dies) that transaction rolls
     * back and the next run fires the event again. Never fired for a message that was not sent.
     */
    public record Delivered(long messageId, long organizationId, OutboxMessage.Channel channel, String kind,
            Subject subject, String recipient, Long linkId, int attempts, Instant at) {
    }

    /** The message is dead after {@code attempts} tries; {@code error} is the last one (at most 1,000 characters). */
    public record GaveUp(long messageId, long organizationId, OutboxMessage.Channel channel, String kind,
            Subject subject, String recipient, Long linkId, int attempts, String error, Instant at) {
    }

    /**
     * The message was withdrawn unsent when a delivery run claimed it ({@link OutboxHandler#withdrawal}):
     * {@code reason} is the handler's, {@code queuedAt} when it was queued. Fired in the transaction that marks it
     * WITHDRAWN, so the feature's undoing (a reminder's record, the link issued for it) commits with it.
     */
    public record Withdrawn(long messageId, long organizationId, OutboxMessage.Channel channel, String kind,
            Subject subject, String recipient, Long linkId, Instant queuedAt, String reason, Instant at) {
    }
}
