package io.portlink.dropship;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One change the merchant sent a supplier (V49): the dropshipment's revision it made, what changed (as the supplier
 * reads it) and when. Written with the revision by {@link DropshipChanges}; never changed.
 */
@Entity
public class DropshipmentChange extends PanacheEntity {

    /** dropshipment_change.summary's length in characters (V49). */
    public static final int SUMMARY_LENGTH = 2000;

    @Column(nullable = false)
    public long dropshipmentId;

    @Column(nullable = false)
    public int revision;

    @Column(nullable = false)
    public String summary;

    @Column(nullable = false)
    public Instant changedAt;
}
