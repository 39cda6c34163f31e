package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.portlink.platform.Paging;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;

/**
 * The supplier's view of dropshipments: from every merchant it is connected to, only those the merchant's sync sent
 * ({@code sentAt} set), always scoped to the supplier's organisation. Shows what the merchant passed and nothing more:
 * the note and line prices only when they were copied at routing and the connection still passes them.
 */
@ApplicationScoped
public class SupplierOrders {

    /** Timeline entries a detail shows (the newest). */
    public static final int TIMELINE_SHOWN = 100;

    @Inject
    EntityManager em;

    @Inject
    Timeline timeline;

    /** The list's filters; null is "all". */
    public record Filter(Long merchantId, Dropshipment.Status status) {
    }

    /** One row of the list; {@code changePending}: the merchant changed it and the supplier has not acknowledged. */
    public record Row(long id, String reference, long merchantId, String merchantName, Dropshipment.Status status,
            String shipToName, String shippingMethod, int lines, int quantity, int quantityShipped, Instant sentAt,
            int revision, boolean changePending) {

        /** The status as people read it ("Partially shipped"). */
        public String statusLabel() {
            return Shipping.label(status);
        }
    }

    /** A merchant the supplier serves (or served), for the filter. */
    public record Merchant(long id, String name) {

        /** The id as the filter's query parameter writes it. */
        public String key() {
            return Long.toString(id);
        }
    }

    /**
     * A line as the supplier sees it; {@code remaining} the units still to ship (0 on a cancelled dropshipment: nothing
     * is to ship any more); {@code unitPrice} only when passed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineView(int position, String sku, String supplierSku, String description, int quantity,
            int quantityShipped, int remaining, BigDecimal unitPrice) {
    }

    /** One shipment: carrier, tracking, ship date (the supplier's day), method, the units of each line. */
    public record ShipmentView(long id, String carrier, String trackingNumber, LocalDate shipDate,
            String shippingMethod, Instant createdAt, String createdBy, List<ShippedLine> lines) {
    }

    /** Units of one line (by position and SKU) in a shipment. */
    public record ShippedLine(int position, String sku, String supplierSku, int quantity) {
    }

    /** One change of the merchant's: the revision it made, what changed, when. */
    public record ChangeView(int revision, String summary, Instant changedAt) {
    }

    /**
     * Every change the supplier has not acknowledged, oldest first: the rows of {@link DropshipmentChange} past the
     * acknowledged revision; the latest revision from the dropshipment itself when it has no row (made before V49).
     */
    static List<ChangeView> unacknowledged(Dropshipment d) {
        if (!Shipping.changePending(d)) {
            return List.of();
        }
        List<ChangeView> changes = new java.util.ArrayList<>(DropshipmentChange
                .<DropshipmentChange> list("dropshipmentId = ?1 and revision > ?2 order by revision", d.id,
                        Math.max(1, d.acknowledgedRevision))
                .stream().map(c -> new ChangeView(c.revision, c.summary, c.changedAt)).toList());
        if (changes.stream().noneMatch(c -> c.revision() == d.revision)) {
            changes.add(new ChangeView(d.revision, d.changeSummary, d.changedAt));
        }
        return changes;
    }

    /**
     * One dropshipment for its supplier. {@code note} only when passed; {@code changePending} with {@code revision} and
     * {@code changeSummary}: what to acknowledge, {@code unacknowledgedChanges} each change since the last
     * acknowledgement; {@code shippable}: null, or why it cannot be shipped now.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(long id, String reference, long merchantId, String merchantName, Dropshipment.Status status,
            String shipToName, String shipToCompany, String shipToAddress, String shipToPhone, String shippingMethod,
            String note, int revision, int acknowledgedRevision, String changeSummary, boolean changePending,
            Instant sentAt, Instant changedAt, Instant acknowledgedAt, Instant shippedAt, Instant cancelledAt,
            String cancelReason, List<LineView> lines, List<ShipmentView> shipments, List<Timeline.Entry> timeline,
            long version, List<ChangeView> unacknowledgedChanges) {

        /** The status as people read it ("Partially shipped"). */
        public String statusLabel() {
            return Shipping.label(status);
        }

        /** Whether the merchant passes prices: some line has one. */
        public boolean pricesShown() {
            return lines.stream().anyMatch(l -> l.unitPrice() != null);
        }

        /** Whether the ship form is offered: open or partly shipped, with no change waiting for acknowledgement. */
        public boolean shippable() {
            return (status == Dropshipment.Status.OPEN || status == Dropshipment.Status.PARTIALLY_SHIPPED)
                    && !changePending;
        }
    }

    /**
     * The supplier's dropshipments, filtered, newest routed first, and whether more follow (no count: a supplier's
     * dropshipments grow without end). Served by dropshipment_supplier_ix.
     */
    @Transactional
    public Paging.Page<Row> page(long supplierId, Filter filter, Paging paging) {
        StringBuilder where = new StringBuilder("d.supplierId = :supplier and d.sentAt is not null");
        Map<String, Object> params = new HashMap<>();
        params.put("supplier", supplierId);
        if (filter.status() != null) {
            where.append(" and d.status = :status");
            params.put("status", filter.status());
        }
        if (filter.merchantId() != null) {
            where.append(" and d.merchantId = :merchant");
            params.put("merchant", filter.merchantId());
        }
        var query = em.createQuery(
                "select d from Dropshipment d where " + where + " order by d.routedAt desc, d.id desc",
                Dropshipment.class);
        params.forEach(query::setParameter);
        Paging.Page<Dropshipment> page = paging
                .page(query.setFirstResult(paging.offset()).setMaxResults(paging.fetch()).getResultList());
        List<Dropshipment> rows = page.items();
        Map<Long, String> names = names(rows.stream().map(d -> d.merchantId).distinct().toList());
        Map<Long, int[]> totals = new HashMap<>();
        if (!rows.isEmpty()) {
            em.createQuery(
                    "select l.dropshipmentId, count(l), sum(l.quantity), sum(l.quantityShipped)"
                            + " from DropshipmentLine l where l.dropshipmentId in :ids group by l.dropshipmentId",
                    Object[].class).setParameter("ids", rows.stream().map(d -> d.id).toList()).getResultList()
                    .forEach(r -> totals.put((Long) r[0], new int[] { ((Number) r[1]).intValue(),
                            ((Number) r[2]).intValue(), ((Number) r[3]).intValue() }));
        }
        return page.map(d -> {
            int[] t = totals.getOrDefault(d.id, new int[3]);
            return new Row(d.id, d.reference, d.merchantId, names.get(d.merchantId), d.status, d.shipToName,
                    d.shippingMethod, t[0], t[1], t[2], d.sentAt, d.revision, Shipping.changePending(d));
        });
    }

    /** The merchants connected to the supplier (any connection status, so old orders stay filterable), by name. */
    @Transactional
    public List<Merchant> merchants(long supplierId) {
        List<Long> ids = em
                .createQuery("select distinct c.merchantId from DropshipConnection c where c.supplierId = ?1",
                        Long.class)
                .setParameter(1, supplierId).getResultList();
        return names(ids).entrySet().stream().map(e -> new Merchant(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(Merchant::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    /** One dropshipment of the supplier; empty when it is not the supplier's or not sent yet. */
    @Transactional
    public Optional<Detail> detail(long supplierId, long id) {
        Dropshipment d = Dropshipment.findById(id);
        if (d == null || d.supplierId != supplierId || d.sentAt == null) {
            return Optional.empty();
        }
        DropshipConnection connection = DropshipConnection.findById(d.connectionId);
        boolean prices = connection != null && connection.passPrices;
        boolean notes = connection != null && connection.passNotes;
        List<DropshipmentLine> lines = DropshipmentLine.list("dropshipmentId = ?1 order by position", d.id);
        boolean cancelled = d.status == Dropshipment.Status.CANCELLED;
        List<LineView> lineViews = lines
                .stream().map(l -> new LineView(l.position, l.sku, l.supplierSku, l.description, l.quantity,
                        l.quantityShipped, cancelled ? 0 : Shipping.remaining(l), prices ? l.unitPrice : null))
                .toList();
        List<ShipmentView> shipments = DropshipShipment
                .<DropshipShipment> find("dropshipmentId = ?1 order by createdAt desc, id desc", d.id)
                .page(0, TIMELINE_SHOWN).list().stream().map(s -> view(s, lines)).toList();
        return Optional.of(new Detail(d.id, d.reference, d.merchantId, names(List.of(d.merchantId)).get(d.merchantId),
                d.status, d.shipToName, d.shipToCompany, d.shipToAddress, d.shipToPhone, d.shippingMethod,
                notes ? d.note : null, d.revision, d.acknowledgedRevision, d.changeSummary, Shipping.changePending(d),
                d.sentAt, d.changedAt, d.acknowledgedAt, d.shippedAt, d.cancelledAt, d.cancelReason, lineViews,
                shipments, timeline.latest(Subject.dropshipment(supplierId, d.id), false, TIMELINE_SHOWN), d.version,
                unacknowledged(d)));
    }

    /** A shipment with its lines named by the dropshipment's {@code lines}. */
    static ShipmentView view(DropshipShipment s, List<DropshipmentLine> lines) {
        Map<Long, DropshipmentLine> byId = new HashMap<>();
        lines.forEach(l -> byId.put(l.id, l));
        List<ShippedLine> shipped = new ArrayList<>();
        DropshipShipmentLine.<DropshipShipmentLine> list("dropshipShipmentId = ?1 order by id", s.id).forEach(sl -> {
            DropshipmentLine l = byId.get(sl.dropshipmentLineId);
            shipped.add(new ShippedLine(l.position, l.sku, l.supplierSku, sl.quantity));
        });
        shipped.sort(java.util.Comparator.comparingInt(ShippedLine::position));
        return new ShipmentView(s.id, s.carrier, s.trackingNumber, s.shipDate, s.shippingMethod, s.createdAt,
                s.createdBy, shipped);
    }

    private Map<Long, String> names(List<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select o.id, o.name from Organization o where o.id in :ids", Object[].class)
                    .setParameter("ids", ids).getResultList().forEach(r -> names.put((Long) r[0], (String) r[1]));
        }
        return names;
    }
}
