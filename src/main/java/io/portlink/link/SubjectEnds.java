package io.portlink.link;

import java.time.Instant;
import java.util.List;

/**
 * A feature whose links also stop working without an expiry time of their own, when their subject ends (a shipment's
 * tracking and driver links some days after its delivery). The feature implements it as a CDI bean; {@link LinkExpiry}
 * asks every such bean, so the core still knows no feature.
 */
public interface SubjectEnds {

    /** A link and the moment its subject ends it (UTC; may still be ahead). */
    record Ending(long linkId, Instant at) {
    }

    /**
     * Up to {@code limit} of the feature's links with an id above {@code afterId}, in id order, that are neither
     * revoked nor marked expired and whose subject has a known end (e.g. delivered shipments), with that end. Served by
     * an index; the cost follows those links, not the table.
     */
    List<Ending> candidates(long afterId, int limit);
}
