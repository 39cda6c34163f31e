package io.portlink.purchasing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.mail.VendorMail;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;

/** Read models of orders for the staff UI and the API. Always within one organisation; always paged. */
@ApplicationScoped
public class OrderQueries {

    @Inject
    EntityManager em;

    @Inject
    Timeline timeline;

    @Inject
    java.time.Clock clock;

    @Inject
    Links linksCore;

    public record VendorView(String name, String email, String phone, String language) {
    }

    public record LineView(int lineNo, String sku, String description, BigDecimal quantity, String unit,
            BigDecimal unitPrice, String currency) {

        /** Quantity × unit price; null without a price. */
        public BigDecimal amount() {
            return LineAmounts.amount(quantity, unitPrice);
        }
    }

    /** A link as staff see it: never its token, only its hint. */
    public record LinkView(long id, String tokenHint, String recipientName, String recipientContact, Instant createdAt,
            String createdBy, Instant expiresAt, Instant revokedAt, Instant firstOpenedAt, Instant lastOpenedAt,
            int openCount, int botOpenCount, Instant lastBotOpenAt, Instant lastActionAt, boolean active,
            String expired) {
    }

    public record EventView(Instant at, Actor.Type actorType, String actor, OrderEvent type, String detail) {
    }

    /**
     * A vendor mail of the order; {@code kind} is its outbox kind ({@code PO_AND_LINK}, {@code PO_CHANGED}, ...);
     * {@code sending} while a delivery run holds it (being built or handed to the mail server), when {@code attempts}
     * already counts that try.
     */
    public record MailView(long id, String kind, String recipient, OutboxMessage.Status status, int attempts,
            String lastError, Instant createdAt, Instant sentAt, Instant nextAttemptAt, boolean sending) {

        /** What staff read for the kind: "new order: PO + link", "reminder", "PO changed", "cancellation", ... */
        public String kindLabel() {
            return VendorMail.Purpose.label(kind);
        }
    }

    public record Detail(String reference, OrderStatus status, VendorView vendor, String deliveryAddress,
            LocalDate requestedDate, LocalDate expectedDate, String carrier, String trackingNumber, String vendorNote,
            String declineReason, Instant createdAt, Instant updatedAt, Instant closedAt, long version,
            List<LineView> lines, List<LinkView> links, List<EventView> timeline, List<MailView> mails,
            Instant reopenedAt, Consignee consignee,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The order's revision: 1 when"
                    + " created, one more per amendment (PUT); also the ETag") int revision,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The newest revision the vendor"
                    + " acknowledged (or never had to)") int acknowledgedRevision,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "false while the vendor has not"
                    + " acknowledged the latest amendment") boolean changeAcknowledged,
            String cancelReason,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "When the vendor acknowledged the"
                    + " cancellation; null while not yet") Instant cancelAcknowledgedAt,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The amendments, newest first (at"
                    + " most 50), each with what changed") List<RevisionView> revisions,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The last e-mail to the vendor"
                    + " about this order could not be delivered") boolean mailDead,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The order's total per currency"
                    + " (quantity × unit price of the priced lines); empty when no line has a price") List<LineAmounts.Total> totals) {

        /** Cancelled, and the vendor has not acknowledged it yet. */
        public boolean cancelUnacknowledged() {
            return status == OrderStatus.CANCELLED && cancelAcknowledgedAt == null;
        }

        /**
         * Cancelled without a word to the vendor, who never had the order ({@link PurchaseOrder#vendorHasIt}): marked
         * acknowledged at the cancel, with no acknowledgement of the vendor's on the timeline.
         */
        public boolean cancelledUntold() {
            return status == OrderStatus.CANCELLED && cancelAcknowledgedAt != null
                    && timeline.stream().noneMatch(e -> e.type() == OrderEvent.CANCEL_ACKNOWLEDGED);
        }
    }

    /** One amendment: revision number, who and when, what changed, and the vendor's acknowledgement. */
    public record RevisionView(int revision, Instant createdAt, String createdBy, List<RevisionChange> changes,
            boolean vendorVisible, Instant acknowledgedAt, String acknowledgedBy) {
    }

    @Transactional
    public Optional<Detail> detail(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(this::detail);
    }

    private Detail detail(PurchaseOrder o) {
        var lines = o.lines.stream()
                .map(l -> new LineView(l.lineNo, l.sku, l.description, l.quantity, l.unit, l.unitPrice, l.currency))
                .toList();
        Instant now = Instant.now(clock);
        var format = o.organization.format();
        var today = format.today(clock);
        var links = AccessLink.<AccessLink> list("purchaseOrderId = ?1 and scope = ?2 order by createdAt desc", o.id,
                VendorLinks.SCOPE).stream().map(l -> linkView(l, now, format, today)).toList();
        var events = timeline.latest(Subject.purchaseOrder(o.organization.id, o.id), false, 500).stream()
                .map(e -> new EventView(e.at(), e.actorType(), e.actor(), OrderEvent.valueOf(e.kind()), e.detail()))
                .toList();
        var mails = OutboxMessage.<OutboxMessage> find("purchaseOrderId = ?1 order by createdAt desc", o.id).page(0, 50)
                .list().stream()
                .map(m -> new MailView(m.id, m.kind, m.recipient, m.status, m.attempts, m.lastError, m.createdAt,
                        m.sentAt, m.nextAttemptAt, m.status == OutboxMessage.Status.PENDING && m.claimedUntil != null
                                && m.claimedUntil.isAfter(now)))
                .toList();
        return new Detail(o.reference, o.status,
                new VendorView(o.vendor.name, o.vendor.email, o.vendor.phone, o.vendor.language), o.deliveryAddress,
                o.requestedDate, o.expectedDate, o.carrier, o.trackingNumber, o.vendorNote, o.declineReason,
                o.createdAt, o.updatedAt, o.closedAt, o.version, lines, links, events, mails,
                o.status.isClosed() ? null : o.reopenedAt, o.consignee().isEmpty() ? null : o.consignee(), o.revision,
                o.acknowledgedRevision, !o.changeUnacknowledged(), o.cancelReason,
                o.status == OrderStatus.CANCELLED ? o.cancelAcknowledgedAt : null,
                OrderRevision.of(o.id, 50).stream().map(r -> new RevisionView(r.revision, r.createdAt, r.createdBy,
                        r.changes(), r.vendorVisible, r.acknowledgedAt, r.acknowledgedBy)).toList(),
                o.mailDead, LineAmounts.totals(o.lines));
    }

    /** A link as staff see it, with this replica's open counts not written yet ({@link Links#opens}). */
    private LinkView linkView(AccessLink l, Instant now, io.portlink.platform.Locales.Format format, LocalDate today) {
        Links.Opens opens = linksCore.opens(l);
        return new LinkView(l.id, l.tokenHint, l.recipientName, l.recipientContact, l.createdAt, l.createdBy,
                l.expiresAt, l.revokedAt, opens.firstOpenedAt(), opens.lastOpenedAt(), opens.people(), opens.bots(),
                opens.lastBotOpenAt(), l.lastActionAt,
                l.revokedAt == null && (l.expiresAt == null || l.expiresAt.isAfter(now)),
                l.revokedAt == null && l.expiresAt != null && !l.expiresAt.isAfter(now)
                        ? format.expired(l.expiresAt, today) : null);
    }
}
