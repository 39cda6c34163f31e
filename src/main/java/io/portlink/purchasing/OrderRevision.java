package io.portlink.purchasing;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One amendment of a purchase order (V54): revision {@link #revision} and what changed against the revision before it,
 * as {@link RevisionChange}s (stored as JSON in {@link #changes}). Revision 1 (the order as created) has no row.
 */
@Entity
public class OrderRevision extends PanacheEntity {

    /** order_revision.created_by's length in characters (V54). */
    public static final int CREATED_BY_LENGTH = 400;

    /** order_revision.changes's length in characters (V54). */
    public static final int CHANGES_LENGTH = 200_000;

    /** order_revision.acknowledged_by's length in characters (V54). */
    public static final int ACKNOWLEDGED_BY_LENGTH = 400;

    @Column(nullable = false)
    public long purchaseOrderId;

    @Column(nullable = false)
    public int revision;

    @Column(nullable = false)
    public Instant createdAt;

    /** The actor's timeline label (a staff user's e-mail, "API", ...). */
    @Column(nullable = false)
    public String createdBy;

    /** {@link RevisionChange#toJson(List)}; read with {@link #changes()}. */
    @Column(nullable = false)
    public String changes;

    /** Whether any change is one the vendor sees (and so must acknowledge). */
    public boolean vendorVisible;

    /** When the vendor acknowledged this revision (or a later one); null while not yet or not needed. */
    public Instant acknowledgedAt;
    public String acknowledgedBy;

    public List<RevisionChange> changes() {
        return RevisionChange.fromJson(changes);
    }

    /** The order's revisions, newest first, at most {@code limit}. */
    public static List<OrderRevision> of(long purchaseOrderId, int limit) {
        return find("purchaseOrderId = ?1 order by revision desc", purchaseOrderId).page(0, limit).list();
    }
}
