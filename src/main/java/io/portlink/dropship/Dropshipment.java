package io.portlink.dropship;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One supplier's part of a sales order (V40): only that supplier's lines ({@link DropshipmentLine}) and what its
 * connection passes, copied at routing. Seen by both organisations: the merchant ({@link #merchantId}) and the supplier
 * ({@link #supplierId}), the supplier only once {@link #sentAt} is set by the merchant's sync.
 */
@Entity
public class Dropshipment extends PanacheEntity {

    /** dropshipment.note's length in characters (V40). */
    public static final int NOTE_LENGTH = 2000;

    /** dropshipment.change_summary's length in characters (V40). */
    public static final int CHANGE_SUMMARY_LENGTH = 2000;

    /** dropshipment.cancel_reason's length in characters (V40). */
    public static final int CANCEL_REASON_LENGTH = 1000;

    public enum Status {
        /** Routed, waiting for the merchant's next sync. */
        ROUTED,
        /** The supplier has it. */
        OPEN, PARTIALLY_SHIPPED, SHIPPED, CANCELLED;

        /** The statuses a supplier sees, in list order: every one but {@link #ROUTED} (not sent to it yet). */
        public static final List<Status> SUPPLIER_SEES = List.of(OPEN, PARTIALLY_SHIPPED, SHIPPED, CANCELLED);
    }

    @Column(nullable = false)
    public long connectionId;

    @Column(nullable = false)
    public long merchantId;

    @Column(nullable = false)
    public long supplierId;

    @Column(nullable = false)
    public long salesOrderId;

    /** What both sides call it: the sales order's reference and a number per supplier, e.g. "SO-1001-1". */
    @Column(nullable = false)
    public String reference;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Status status;

    @Column(nullable = false)
    public String shipToName;

    public String shipToCompany;

    @Column(nullable = false)
    public String shipToAddress;

    public String shipToPhone;

    public String shippingMethod;

    /** The merchant's note, only when the connection passes notes. */
    public String note;

    /** Raised by every change the merchant makes after sending; 1 at first. */
    @Column(nullable = false)
    public int revision = 1;

    /**
     * The revision the supplier last acknowledged (0: none). Below {@link #revision}: "change not yet acknowledged".
     */
    @Column(nullable = false)
    public int acknowledgedRevision;

    /** What the latest change was, in words both sides read (e.g. "Address changed; line 2: 3 → 2"). */
    public String changeSummary;

    @Column(nullable = false)
    public Instant routedAt;

    public Instant sentAt;

    public Instant changedAt;

    public Instant acknowledgedAt;

    public Instant shippedAt;

    public Instant cancelledAt;

    public String cancelReason;

    @Version
    public long version;
}
