package io.portlink.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.mail.OutboxMessage;

/** Read models of orders for the staff UI and the API. Always within one organisation; always paged. */
@ApplicationScoped
public class OrderQueries {

    public static final int MAX_PAGE_SIZE = 200;

    @Inject
    EntityManager em;

    @Inject
    java.time.Clock clock;

    public record Row(String reference, String vendorName, OrderStatus status, LocalDate requestedDate,
            LocalDate expectedDate, String trackingNumber, Instant updatedAt) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {

        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }

        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return page + 1 < pages();
        }
    }

    public record VendorView(String name, String email, String phone, String language) {
    }

    public record LineView(int lineNo, String sku, String description, BigDecimal quantity, String unit,
            BigDecimal unitPrice, String currency) {
    }

    /** A link as staff see it: never its token, only its hint. */
    public record LinkView(long id, String tokenHint, String recipientName, String recipientContact, Instant createdAt,
            String createdBy, Instant expiresAt, Instant revokedAt, Instant firstOpenedAt, Instant lastOpenedAt,
            int openCount, int botOpenCount, Instant lastBotOpenAt, Instant lastActionAt, boolean active) {
    }

    public record EventView(Instant at, OrderEvent.ActorType actorType, String actor, OrderEvent.Type type,
            String detail) {
    }

    public record MailView(long id, OutboxMessage.Kind kind, String recipient, OutboxMessage.Status status,
            int attempts, String lastError, Instant createdAt, Instant sentAt, Instant nextAttemptAt) {
    }

    public record Detail(String reference, OrderStatus status, VendorView vendor, String deliveryAddress,
            LocalDate requestedDate, LocalDate expectedDate, String carrier, String trackingNumber, String vendorNote,
            String declineReason, Instant createdAt, Instant updatedAt, Instant closedAt, long version,
            List<LineView> lines, List<LinkView> links, List<EventView> timeline, List<MailView> mails) {
    }

    /** Orders of one organisation, newest first, optionally by status and by reference prefix. */
    @Transactional
    public Page<Row> page(long organizationId, OrderStatus status, String referencePrefix, int page, int size) {
        int pageSize = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        int pageNo = Math.max(0, page);
        StringBuilder where = new StringBuilder(" where o.organization.id = :org");
        if (status != null) {
            where.append(" and o.status = :status");
        }
        String prefix = referencePrefix == null ? "" : referencePrefix.strip();
        if (!prefix.isEmpty()) {
            where.append(" and o.reference like :prefix escape '!'");
        }
        var query = em.createQuery("select o.reference, v.name, o.status, o.requestedDate, o.expectedDate,"
                + " o.trackingNumber, o.updatedAt from PurchaseOrder o join o.vendor v" + where
                + " order by o.createdAt desc, o.id desc", Object[].class);
        var count = em.createQuery("select count(o) from PurchaseOrder o" + where, Long.class);
        for (var q : List.of(query, count)) {
            q.setParameter("org", organizationId);
            if (status != null) {
                q.setParameter("status", status);
            }
            if (!prefix.isEmpty()) {
                q.setParameter("prefix", prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Object[] r : query.setFirstResult(pageNo * pageSize).setMaxResults(pageSize).getResultList()) {
            rows.add(new Row((String) r[0], (String) r[1], (OrderStatus) r[2], (LocalDate) r[3], (LocalDate) r[4],
                    (String) r[5], (Instant) r[6]));
        }
        return new Page<>(rows, pageNo, pageSize, count.getSingleResult());
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
        var links = AccessLink.<AccessLink> list("order = ?1 order by createdAt desc", o).stream()
                .map(l -> new LinkView(l.id, l.tokenHint, l.recipientName, l.recipientContact, l.createdAt, l.createdBy,
                        l.expiresAt, l.revokedAt, l.firstOpenedAt, l.lastOpenedAt, l.openCount, l.botOpenCount,
                        l.lastBotOpenAt, l.lastActionAt,
                        l.revokedAt == null && (l.expiresAt == null || l.expiresAt.isAfter(now))))
                .toList();
        var events = OrderEvent.<OrderEvent> find("order = ?1 order by at desc, id desc", o).page(0, 500).list()
                .stream().map(e -> new EventView(e.at, e.actorType, e.actorLabel, e.type, e.detail)).toList();
        var mails = OutboxMessage.<OutboxMessage> find("order = ?1 order by createdAt desc", o).page(0, 50).list()
                .stream().map(m -> new MailView(m.id, m.kind, m.recipient, m.status, m.attempts, m.lastError,
                        m.createdAt, m.sentAt, m.nextAttemptAt))
                .toList();
        return new Detail(o.reference, o.status,
                new VendorView(o.vendor.name, o.vendor.email, o.vendor.phone, o.vendor.language), o.deliveryAddress,
                o.requestedDate, o.expectedDate, o.carrier, o.trackingNumber, o.vendorNote, o.declineReason,
                o.createdAt, o.updatedAt, o.closedAt, o.version, lines, links, events, mails);
    }
}
