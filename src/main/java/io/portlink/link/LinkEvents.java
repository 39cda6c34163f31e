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

    /**
     * The expiry job is about to mark a link expired ({@link LinkExpiry}): an observer locks its subject's row, and
     * nothing else, so that the job takes its locks in the features' order (the subject, then the link).
     */
    public record Expiring(long linkId, AccessLink.Scope scope, Target subject) {
    }

    /**
     * A link was marked expired, once (a second run, or another replica at the same time, fires nothing), in the job's
     * transaction; {@code endedAt} is the moment it stopped working (its expiry, or its subject's end). The feature of
     * the scope writes its timeline entry and drops the rows it kept for the link that no longer serve.
     */
    public record Expired(long linkId, AccessLink.Scope scope, long organizationId, Target subject, Instant endedAt) {
    }
}
