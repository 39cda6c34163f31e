package io.portlink.purchasing;

/** Where a purchase order stands. */
public enum OrderStatus {
    /** Imported, link not sent yet. */
    PENDING("Pending"),
    /** The vendor link was sent. */
    NOTIFIED("Sent to vendor"),
    /** The vendor confirmed the order. */
    ACKNOWLEDGED("Confirmed"), PREPARING("Preparing"), DISPATCHED("Dispatched"), DELIVERED("Delivered"),
    /** The vendor declined, with a reason. */
    DECLINED("Declined"),
    /** Staff cancelled the order. */
    CANCELLED("Cancelled");

    public final String label;

    OrderStatus(String label) {
        this.label = label;
    }

    public boolean isClosed() {
        return this == DELIVERED || this == DECLINED || this == CANCELLED;
    }

    /** Progress steps a vendor may report, in order. */
    public boolean isProgress() {
        return this == PREPARING || this == DISPATCHED || this == DELIVERED;
    }

    /** The vendor has neither confirmed nor declined (a decline is undone only on purpose: a reopen). */
    public boolean awaitsConfirmation() {
        return this == PENDING || this == NOTIFIED;
    }

    /** A vendor may still decline: nothing has left the warehouse yet. */
    public boolean declinable() {
        return !isClosed() && rank() < DISPATCHED.rank();
    }

    public boolean acceptsTracking() {
        return this != CANCELLED && this != DECLINED;
    }

    /** Rank along the happy path, to refuse a step backwards. */
    int rank() {
        return switch (this) {
        case PENDING, NOTIFIED -> 0;
        case ACKNOWLEDGED -> 1;
        case PREPARING -> 2;
        case DISPATCHED -> 3;
        case DELIVERED -> 4;
        case DECLINED, CANCELLED -> -1;
        };
    }
}
