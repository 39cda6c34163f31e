package io.portlink.purchasing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

@Entity
// only the columns a transaction changed are written: open counters and other bulk updates are never overwritten
@DynamicUpdate
public class PurchaseOrder extends PanacheEntity {

    /** {@code purchase_order.vendor_note}'s length in characters (the erasure cleans the note to fit it). */
    public static final int VENDOR_NOTE_LENGTH = 2000;

    /** {@code purchase_order.decline_reason}'s length in characters. */
    public static final int DECLINE_REASON_LENGTH = 1000;

    /** {@code purchase_order.cancel_reason}'s length in characters. */
    public static final int CANCEL_REASON_LENGTH = 1000;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Vendor vendor;

    /** Unique per organisation; the id everyone outside Portlink knows the order by. */
    @Column(nullable = false)
    public String reference;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public OrderStatus status;

    public String deliveryAddress;
    /** Who receives the goods ({@link Consignee}; all optional): never shown to the vendor. */
    public String consigneeName;
    public String consigneeEmail;
    public String consigneePhone;
    /** en, de, fr or es; null: the organisation's language. */
    public String consigneeLanguage;
    public LocalDate requestedDate;
    public LocalDate expectedDate;
    public String carrier;
    public String trackingNumber;
    /** The vendor's latest note to the buyer. */
    @Column(length = VENDOR_NOTE_LENGTH)
    public String vendorNote;
    /** Why the vendor declined the order, in its words. */
    @Column(length = DECLINE_REASON_LENGTH)
    public String declineReason;

    /** SHA-256 of what was imported: the same import again is recognised and changes nothing. */
    @Column(nullable = false)
    public String contentHash;

    /**
     * The {@link #contentHash} of an order whose personal data was erased: no draft hashes to it (a draft's is 64 hex
     * digits), so the order sent again is "different content" (409), never "unchanged".
     */
    public static final String ERASED_CONTENT_HASH = "erased";

    @Column(nullable = false)
    public Instant createdAt;
    @Column(nullable = false)
    public Instant updatedAt;
    public Instant closedAt;
    public Instant lastVendorActivityAt;

    /**
     * Whether the vendor has this order, as far as Portlink knows: it was e-mailed or shared by hand, a person opened
     * its link, the vendor acted on it, or its status moved past pending (an integration may share links itself). A
     * change or cancellation is then told to the vendor and waits for its acknowledgement.
     */
    public boolean vendorHasIt() {
        return lastVendorActivityAt != null || QueueActions.sent(status, notifiedAt, firstOpenedAt);
    }

    /** Action-queue columns (see V2__action_queue.sql). */
    public Instant notifiedAt;
    public Instant firstOpenedAt;
    public LocalDate dueDate;
    public boolean mailDead;

    /** Reminders sent so far, the expected date last put to the vendor for re-confirmation, and their answer. */
    public int reminderCount;
    public LocalDate reconfirmAskedFor;
    public Instant reconfirmedAt;

    /** The staff user who last sent the order to its vendor by hand: the buyer the vendor deals with. */
    @ManyToOne(fetch = FetchType.LAZY)
    public StaffUser buyer;

    /** The vendor declined, then said it can supply the order after all; cleared when staff mark it noted. */
    public Instant reopenedAt;

    /**
     * The order's revision: 1 when created, one more for each amendment that changed something
     * ({@link OrderRevisions#amend}). Integrations send it back as {@code If-Match} to amend.
     */
    public int revision = 1;

    /**
     * The newest revision the vendor acknowledged, or never had to (a change only staff see, an order not sent yet):
     * below {@link #revision} the order shows "change not yet acknowledged".
     */
    public int acknowledgedRevision = 1;

    /** Why staff cancelled the order, as the vendor is told; null before a cancellation. */
    @Column(length = CANCEL_REASON_LENGTH)
    public String cancelReason;

    /** When the vendor acknowledged the cancellation through its link; null while not yet (or not cancelled). */
    public Instant cancelAcknowledgedAt;

    /** Staff dealt with the decline ("mark handled"): the order stays declined but leaves the "Declined" bucket. */
    public Instant declineHandledAt;

    /** The declined order this one re-sources (see {@link DeclinedOrders#reSource}); null for any other order. */
    @ManyToOne(fetch = FetchType.LAZY)
    public PurchaseOrder replacesOrder;

    /** Optimistic lock between staff and vendor edits. */
    @Version
    public long version;

    @OneToMany(mappedBy = "order", cascade = CascadeType.PERSIST)
    @OrderBy("lineNo")
    public List<OrderLine> lines = new ArrayList<>();

    /** The due date follows the dates in one place, whoever changes them. */
    @PrePersist
    @PreUpdate
    void dueDate() {
        dueDate = expectedDate != null ? expectedDate : requestedDate;
    }

    /** An amendment the vendor has not acknowledged yet. */
    public boolean changeUnacknowledged() {
        return acknowledgedRevision < revision;
    }

    /** Cancelled, and the vendor has not acknowledged the cancellation yet. */
    public boolean cancelUnacknowledged() {
        return status == OrderStatus.CANCELLED && cancelAcknowledgedAt == null;
    }

    /** The consignee as one value ({@link Consignee#NONE} when none). */
    public Consignee consignee() {
        Consignee c = new Consignee(consigneeName, consigneeEmail, consigneePhone, consigneeLanguage);
        return c.isEmpty() ? Consignee.NONE : c;
    }

    public static Optional<PurchaseOrder> findByReference(long organizationId, String reference) {
        return find("organization.id = ?1 and reference = ?2", organizationId, reference).firstResultOptional();
    }
}
