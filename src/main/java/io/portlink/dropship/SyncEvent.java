package io.portlink.dropship;

/** What the sync writes on timelines (the entry's kind). */
public enum SyncEvent {
    /** A routed dropshipment reached its supplier (supplier's dropshipment timeline, merchant's sales order). */
    DROPSHIPMENT_SENT
}
