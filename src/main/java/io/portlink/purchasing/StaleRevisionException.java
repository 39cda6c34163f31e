package io.portlink.purchasing;

import io.portlink.platform.ConflictException;

/**
 * An amendment was based on a revision that is no longer the order's: someone amended it meanwhile. The API answers 412
 * with {@link #currentRevision}; a page shows the order as it is now.
 */
public class StaleRevisionException extends ConflictException {

    private final int currentRevision;

    public StaleRevisionException(String reference, int expectedRevision, int currentRevision) {
        super("purchase order " + reference + " is at revision " + currentRevision + ", not " + expectedRevision
                + ": it was amended meanwhile; reload it and apply your change to revision " + currentRevision);
        this.currentRevision = currentRevision;
    }

    public int currentRevision() {
        return currentRevision;
    }
}
