package io.portlink.link;

import java.time.Instant;

/**
 * What the link core tells the features, as synchronous CDI events fired inside the caller's transaction. The core
 * imports no feature: a feature observes the events of its own scope (e.g. the purchasing side writes a timeline entry
 * for {@link Requested} and sets its order's first open for {@link Opened}).
 */
public final class LinkEvents {

    private LinkEvents() {
    }

    /** A holder of a gone link asked for a new one ({@link Links#requestNewLink}); recorded as a LinkRequest. */
    public record Requested(long linkId, AccessLink.Scope scope, long organizationId, Target subject) {
    }

    /**
     * A person opened the link (its page shown by a browser, or a form posted), at {@code at}; fired before the link's
     * own counters are written, so an observer can lock its subject's row first (the lock order of the features).
     */
    public record Opened(long linkId, AccessLink.Scope scope, Target subject, Instant at) {
    }
}
