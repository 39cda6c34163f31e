package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.inventory.Product;
import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * A merchant's sales orders: in from the API, a CSV file and the sales channel's webhook (idempotent by reference: the
 * same order again changes nothing, other content under the same reference is a conflict naming what differs), routed
 * at once when the merchant's rule says so ({@link SalesOrderSettings}), and read as paged lists and one order's
 * detail. Every method takes the merchant's organisation id and never reads another's orders.
 */
@ApplicationScoped
public class SalesOrders {

    /** Written rows leave the persistence context this often during a file's import. */
    static final int FLUSH_EVERY = 500;
    /** References looked up per query when a file is checked against the stored orders. */
    static final int LOOKUP_CHUNK = 1000;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Timeline timeline;

    @Inject
    Routing routing;

    @Inject
    SalesOrders self;

    @Inject
    SalesOrderSettings settings;

    public enum Outcome {
        CREATED, UNCHANGED
    }

    /** One order taken in: its reference and status, whether it is new, and the automatic routing (null: none). */
    public record Created(String reference, SalesOrder.Status status, Outcome outcome, Routing.Result routing) {
    }

    /** A file's import: orders created, orders that were there already with the same content. */
    public record ImportReport(int created, int unchanged, int routed) {
    }

    /** The actor of the automatic routing rule. */
    static final Actor RULE = new Actor(Actor.Type.SYSTEM, null, "Portlink (route new orders automatically)");

    /**
     * Takes one order in. The same reference with the same content again changes nothing ({@link Outcome#UNCHANGED}); a
     * new order is routed at once when the merchant routes automatically.
     *
     * @throws ConflictException
     *             when the reference exists with other content, naming each field that differs and what is stored
     */
    public Created create(long organizationId, SalesOrderDraft draft, SalesOrder.Channel channel, Actor actor) {
        return Routing.retrying(() -> self.createOne(organizationId, draft, channel, actor));
    }

    /** {@link #create} in one transaction. */
    @Transactional
    Created createOne(long organizationId, SalesOrderDraft draft, SalesOrder.Channel channel, Actor actor) {
        // the same order sent twice at once: the second waits here, then finds the first's order (200 or 409, never a
        // unique-key error)
        Organization.lockForCreating(organizationId);
        SalesOrder existing = SalesOrder
                .find("organizationId = ?1 and reference = ?2", organizationId, draft.reference()).firstResult();
        if (existing != null) {
            var diff = draft.differences(existing, lines(existing.id), SalesOrderDraft.Places.JSON);
            if (!diff.isEmpty()) {
                throw new ConflictException(
                        "sales order " + draft.reference() + " already exists with different" + " content ("
                                + diff.stream().map(ValidationException.FieldError::field)
                                        .collect(Collectors.joining(", "))
                                + "); use a new reference for a new order, or change the order on its page",
                        diff);
            }
            return new Created(existing.reference, existing.status, Outcome.UNCHANGED, null);
        }
        SalesOrder order = write(organizationId, draft, channel, actor, products(organizationId, List.of(draft)));
        Routing.Result routed = null;
        if (settings.autoRoute(organizationId)) {
            routed = routing.routeLocked(organizationId, List.of(order), RULE).get(0);
        }
        return new Created(order.reference, order.status, Outcome.CREATED, routed);
    }

    /**
     * Imports every order of a file, or none: an order that exists with other content is a problem of its first row.
     * Rows are written in batches; with automatic routing the new orders are routed in the same transaction.
     *
     * @throws ValidationException
     *             naming each conflicting order's row
     */
    public ImportReport importAll(long organizationId, List<SalesOrderDraft> drafts, Actor actor) {
        return Routing.retrying(() -> self.importOnce(organizationId, drafts, actor));
    }

    /** {@link #importAll} in one transaction. */
    @Transactional
    @TransactionConfiguration(timeout = 900)
    ImportReport importOnce(long organizationId, List<SalesOrderDraft> drafts, Actor actor) {
        Organization.lockForCreating(organizationId);
        Map<String, SalesOrder> existing = existing(organizationId, drafts);
        var errors = new ValidationException.Builder();
        // the stored lines of every order found, a chunk of orders per query: a query per order would also make
        // Hibernate dirty-check every order loaded so far before each one (a file of n known orders cost n² checks)
        Map<Long, List<SalesOrderLine>> storedLines = linesOf(existing.values().stream().map(o -> o.id).toList());
        for (SalesOrderDraft draft : drafts) {
            SalesOrder order = existing.get(draft.reference());
            if (order != null) {
                var diff = draft.differences(order, storedLines.getOrDefault(order.id, List.of()),
                        SalesOrderDraft.Places.CSV);
                if (!diff.isEmpty()) {
                    errors.add(draft.firstRow(), "reference",
                            "order " + draft.reference() + " already exists with different content ("
                                    + diff.stream().map(ValidationException.FieldError::field).collect(
                                            Collectors.joining(", "))
                                    + "); use a new reference for a new order",
                            draft.reference());
                }
            }
        }
        errors.throwIfAny();
        Map<String, Long> products = products(organizationId, drafts);
        List<Long> created = new ArrayList<>();
        for (SalesOrderDraft draft : drafts) {
            if (existing.containsKey(draft.reference())) {
                continue;
            }
            created.add(write(organizationId, draft, SalesOrder.Channel.CSV, actor, products).id);
            if (created.size() % FLUSH_EVERY == 0) {
                em.flush();
                em.clear();
            }
        }
        int routed = 0;
        if (settings.autoRoute(organizationId)) {
            for (int i = 0; i < created.size(); i += Routing.BATCH) {
                em.flush();
                em.clear();
                List<SalesOrder> chunk = SalesOrder.list("id in ?1 order by id",
                        created.subList(i, Math.min(created.size(), i + Routing.BATCH)));
                routed += (int) routing.routeLocked(organizationId, chunk, RULE).stream()
                        .filter(r -> !r.routed().isEmpty()).count();
            }
        }
        return new ImportReport(created.size(), drafts.size() - created.size(), routed);
    }

    private Map<String, SalesOrder> existing(long organizationId, List<SalesOrderDraft> drafts) {
        Map<String, SalesOrder> found = new HashMap<>();
        List<String> references = drafts.stream().map(SalesOrderDraft::reference).toList();
        for (int i = 0; i < references.size(); i += LOOKUP_CHUNK) {
            List<String> chunk = references.subList(i, Math.min(references.size(), i + LOOKUP_CHUNK));
            SalesOrder.<SalesOrder> list("organizationId = ?1 and reference in ?2", organizationId, chunk)
                    .forEach(o -> found.put(o.reference, o));
        }
        return found;
    }

    /** The merchant's product ids of the drafts' SKUs (routing needs them), in chunks. */
    private static Map<String, Long> products(long organizationId, List<SalesOrderDraft> drafts) {
        List<String> skus = drafts.stream().flatMap(d -> d.lines().stream()).map(SalesOrderDraft.Line::sku).distinct()
                .toList();
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < skus.size(); i += LOOKUP_CHUNK) {
            Product.<Product> list("organizationId = ?1 and sku in ?2", organizationId,
                    skus.subList(i, Math.min(skus.size(), i + LOOKUP_CHUNK))).forEach(p -> ids.put(p.sku, p.id));
        }
        return ids;
    }

    private SalesOrder write(long organizationId, SalesOrderDraft draft, SalesOrder.Channel channel, Actor actor,
            Map<String, Long> products) {
        Instant now = Instant.now(clock);
        SalesOrder order = new SalesOrder();
        order.organizationId = organizationId;
        order.reference = draft.reference();
        order.channel = channel;
        order.shipToName = draft.shipTo().name();
        order.shipToCompany = draft.shipTo().company();
        order.shipToAddress = draft.shipTo().address();
        order.shipToPhone = draft.shipTo().phone();
        order.shippingMethod = draft.shippingMethod();
        order.internalNote = draft.internalNote();
        order.status = SalesOrder.Status.OPEN;
        order.createdAt = now;
        order.updatedAt = now;
        order.persist();
        int position = 1;
        for (SalesOrderDraft.Line l : draft.lines()) {
            SalesOrderLine line = new SalesOrderLine();
            line.salesOrderId = order.id;
            line.position = position++;
            line.productId = products.get(l.sku());
            line.sku = l.sku();
            line.description = l.description();
            line.quantity = l.quantity();
            line.unitPrice = l.unitPrice();
            line.persist();
        }
        timeline.record(Subject.salesOrder(organizationId, order.id), actor, SalesOrderEvent.RECEIVED,
                "from " + channel.name().toLowerCase(java.util.Locale.ROOT) + ", " + draft.lines().size()
                        + (draft.lines().size() == 1 ? " line" : " lines"),
                Visibility.INTERNAL);
        return order;
    }

    /** The lines of several orders by order id, each by position; {@value #LOOKUP_CHUNK} orders per query. */
    private static Map<Long, List<SalesOrderLine>> linesOf(List<Long> orderIds) {
        Map<Long, List<SalesOrderLine>> byOrder = new HashMap<>();
        for (int i = 0; i < orderIds.size(); i += LOOKUP_CHUNK) {
            SalesOrderLine
                    .<SalesOrderLine> list("salesOrderId in ?1 order by salesOrderId, position",
                            orderIds.subList(i, Math.min(orderIds.size(), i + LOOKUP_CHUNK)))
                    .forEach(l -> byOrder.computeIfAbsent(l.salesOrderId, k -> new ArrayList<>()).add(l));
        }
        return byOrder;
    }

    static List<SalesOrderLine> lines(long orderId) {
        return SalesOrderLine.list("salesOrderId = ?1 order by position", orderId);
    }

    // ------------------------------------------------------------------ reading

    /** One row of the list. */
    public record Row(String reference, SalesOrder.Status status, SalesOrder.Channel channel, String shipToName,
            String shippingMethod, Instant createdAt) {
    }

    /**
     * One page of the merchant's orders, newest first; {@code status} null for all, {@code q} a reference or its
     * beginning (exact characters); whether more follow, without a count (a merchant's orders grow without end). Served
     * by the (organisation, status, created) and (organisation, reference) indexes.
     */
    @Transactional
    public Paging.Page<Row> page(long organizationId, SalesOrder.Status status, String q, Paging paging) {
        StringBuilder where = new StringBuilder("organizationId = :org");
        Map<String, Object> params = new HashMap<>();
        params.put("org", organizationId);
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        String prefix = q == null ? "" : q.strip();
        if (!prefix.isEmpty()) {
            // a range on the reference rather than LIKE: the unique (organisation, reference) index serves it
            where.append(" and reference >= :from and reference < :to");
            params.put("from", prefix);
            params.put("to", prefix + Character.MAX_VALUE);
        }
        return paging
                .page(SalesOrder.<SalesOrder> find(where + " order by createdAt desc, id desc", params)
                        .range(paging.offset(), paging.offset() + paging.fetch() - 1).list())
                .map(o -> new Row(o.reference, o.status, o.channel, o.shipToName, o.shippingMethod, o.createdAt));
    }

    /**
     * One order line as the merchant sees it: {@code description} the order's, or its product's name when the order
     * gave none (as the supplier's copy has it); {@code routedTo} the dropshipment carrying it (null: it stays with the
     * merchant), {@code removed} when the merchant removed it.
     */
    public record LineView(int position, String sku, String description, int quantity, BigDecimal unitPrice,
            int quantityShipped, boolean removed, String routedTo, String supplierName) {

        /** Units not shipped yet. */
        public int remaining() {
            return Math.max(0, quantity - quantityShipped);
        }
    }

    /** A dropshipment line as passed to the supplier ({@code unitPrice} only when passed). */
    public record DropshipmentLineView(int position, String sku, String supplierSku, String description, int quantity,
            int quantityShipped, BigDecimal unitPrice) {
    }

    /**
     * One dropshipment of the order, as the merchant sees it: {@code unacknowledged} is "change not yet acknowledged"
     * (the supplier has revision {@code acknowledgedRevision} of {@code revision}).
     */
    public record DropshipmentView(String reference, String supplierName, Dropshipment.Status status, int revision,
            int acknowledgedRevision, Instant sentAt, String changeSummary, Instant changedAt, String note,
            String shipToName, String shipToAddress, List<DropshipmentLineView> lines,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "false while the supplier is"
                    + " disconnected (or invited again and not yet connected): no sync sends it a dropshipment"
                    + " then") boolean supplierConnected) {

        @com.fasterxml.jackson.annotation.JsonProperty("unacknowledged")
        public boolean unacknowledged() {
            return sentAt != null && revision > 1 && acknowledgedRevision < revision;
        }
    }

    /**
     * One parcel of the order: {@code shippedBy} the supplier's name, null when the merchant shipped it itself ("own",
     * and {@code dropshipment} null too); {@code lines} the sales order's lines and units it carried.
     */
    public record ShipmentView(String shippedBy, String dropshipment, String carrier, String trackingNumber,
            java.time.LocalDate shipDate, String shippingMethod, Instant recordedAt, List<ShipmentLineView> lines) {

        @com.fasterxml.jackson.annotation.JsonProperty("own")
        public boolean own() {
            return shippedBy == null;
        }
    }

    /** A sales order line in a shipment: its position and the merchant's SKU, units carried. */
    public record ShipmentLineView(int position, String sku, int quantity) {
    }

    /** The merchant's own shipment as the order shows it ({@code lines}: the order's lines). */
    static ShipmentView view(OwnShipment s, List<SalesOrderLine> lines) {
        Map<Long, SalesOrderLine> byId = new HashMap<>();
        lines.forEach(l -> byId.put(l.id, l));
        List<ShipmentLineView> carried = OwnShipmentLine.<OwnShipmentLine> list("ownShipmentId", s.id).stream()
                .map(l -> new ShipmentLineView(byId.get(l.salesOrderLineId).position, byId.get(l.salesOrderLineId).sku,
                        l.quantity))
                .sorted(java.util.Comparator.comparingInt(ShipmentLineView::position)).toList();
        return new ShipmentView(null, null, s.carrier, s.trackingNumber, s.shipDate, s.shippingMethod, s.createdAt,
                carried);
    }

    /**
     * One order with its lines, dropshipments, every shipment (its suppliers' and its own, by ship date) and newest 50
     * timeline entries.
     */
    public record Detail(String reference, SalesOrder.Status status, SalesOrder.Channel channel, String shipToName,
            String shipToCompany, String shipToAddress, String shipToPhone, String shippingMethod, String internalNote,
            String cancelReason, Instant createdAt, List<LineView> lines, List<DropshipmentView> dropshipments,
            List<ShipmentView> shipments, List<Timeline.Entry> timeline) {

        /** Lines that no dropshipment carries (the merchant ships them). */
        @com.fasterxml.jackson.annotation.JsonProperty("keptLines")
        public long keptLines() {
            return lines.stream().filter(l -> !l.removed() && l.routedTo() == null).count();
        }

        /** Kept lines with units left, which the merchant ships itself ({@link OwnShipping}); none once cancelled. */
        public List<LineView> ownToShip() {
            return status == SalesOrder.Status.CANCELLED ? List.of()
                    : lines.stream().filter(l -> !l.removed() && l.routedTo() == null && l.remaining() > 0).toList();
        }
    }

    /** The merchant's order of that reference, or empty. */
    @Transactional
    public Optional<Detail> detail(long organizationId, String reference) {
        SalesOrder o = SalesOrder.find("organizationId = ?1 and reference = ?2", organizationId, reference)
                .firstResult();
        if (o == null) {
            return Optional.empty();
        }
        List<Dropshipment> dropshipments = Dropshipment.list("salesOrderId = ?1 and merchantId = ?2 order by id", o.id,
                organizationId);
        Map<Long, String> names = new HashMap<>();
        Set<Long> disconnected = new java.util.HashSet<>();
        Set<Long> connectionIds = dropshipments.stream().map(d -> d.connectionId).collect(Collectors.toSet());
        if (!connectionIds.isEmpty()) {
            DropshipConnection.<DropshipConnection> list("id in ?1", connectionIds).forEach(c -> {
                names.put(c.id, c.supplierName);
                if (c.status != DropshipConnection.Status.ACTIVE) {
                    disconnected.add(c.id);
                }
            });
        }
        Map<Long, Dropshipment> byId = new HashMap<>();
        dropshipments.forEach(d -> byId.put(d.id, d));
        Map<Long, List<DropshipmentLine>> dLines = dropshipments.isEmpty() ? Map.of()
                : DropshipmentLine.<DropshipmentLine> list("dropshipmentId in ?1 order by position", byId.keySet())
                        .stream().collect(Collectors.groupingBy(l -> l.dropshipmentId));
        Map<Long, Dropshipment> carrier = new HashMap<>();
        dLines.values().forEach(ls -> ls.forEach(l -> carrier.put(l.salesOrderLineId, byId.get(l.dropshipmentId))));
        List<SalesOrderLine> orderLines = lines(o.id);
        // a line the order gave no description shows its product's name, as the supplier reads it on its copy
        Set<Long> unnamed = orderLines.stream()
                .filter(l -> l.productId != null && (l.description == null || l.description.isBlank()))
                .map(l -> l.productId).collect(Collectors.toSet());
        Map<Long, String> productNames = new HashMap<>();
        if (!unnamed.isEmpty()) {
            Product.<Product> list("id in ?1 and organizationId = ?2", unnamed, o.organizationId).stream()
                    .filter(p -> p.name != null && !p.name.isBlank()).forEach(p -> productNames.put(p.id, p.name));
        }
        List<LineView> lines = orderLines.stream().map(l -> {
            Dropshipment d = carrier.get(l.id);
            String description = l.description == null || l.description.isBlank() ? productNames.get(l.productId)
                    : l.description;
            return new LineView(l.position, l.sku, description, l.quantity, l.unitPrice, l.quantityShipped,
                    l.removedAt != null, d == null ? null : d.reference, d == null ? null : names.get(d.connectionId));
        }).toList();
        List<DropshipmentView> views = dropshipments.stream()
                .map(d -> new DropshipmentView(d.reference, names.get(d.connectionId), d.status, d.revision,
                        d.acknowledgedRevision, d.sentAt, d.changeSummary, d.changedAt, d.note, d.shipToName,
                        d.shipToAddress,
                        dLines.getOrDefault(d.id, List.of()).stream()
                                .map(l -> new DropshipmentLineView(l.position, l.sku, l.supplierSku, l.description,
                                        l.quantity, l.quantityShipped, l.unitPrice))
                                .toList(),
                        !disconnected.contains(d.connectionId)))
                .toList();
        return Optional.of(new Detail(o.reference, o.status, o.channel, o.shipToName, o.shipToCompany, o.shipToAddress,
                o.shipToPhone, o.shippingMethod, o.internalNote, o.cancelReason, o.createdAt, lines, views,
                shipments(o.id, orderLines, byId, dLines, names),
                timeline.latest(Subject.salesOrder(organizationId, o.id), false, 50)));
    }

    /**
     * Every parcel of the order, by ship date then when recorded: its suppliers' (named as the merchant calls them) and
     * its own; each line by the sales order's position and the merchant's SKU. A fixed number of queries.
     */
    private static List<ShipmentView> shipments(long salesOrderId, List<SalesOrderLine> orderLines,
            Map<Long, Dropshipment> dropshipments, Map<Long, List<DropshipmentLine>> dLines, Map<Long, String> names) {
        Map<Long, SalesOrderLine> byOrderLine = new HashMap<>();
        orderLines.forEach(l -> byOrderLine.put(l.id, l));
        List<ShipmentView> out = new ArrayList<>();
        if (!dropshipments.isEmpty()) {
            Map<Long, DropshipmentLine> byLine = new HashMap<>();
            dLines.values().forEach(ls -> ls.forEach(l -> byLine.put(l.id, l)));
            List<DropshipShipment> parcels = DropshipShipment.list("dropshipmentId in ?1", dropshipments.keySet());
            Map<Long, List<DropshipShipmentLine>> carried = parcels.isEmpty() ? Map.of() : DropshipShipmentLine
                    .<DropshipShipmentLine> list("dropshipShipmentId in ?1", parcels.stream().map(p -> p.id).toList())
                    .stream().collect(Collectors.groupingBy(l -> l.dropshipShipmentId));
            for (DropshipShipment p : parcels) {
                Dropshipment d = dropshipments.get(p.dropshipmentId);
                List<ShipmentLineView> views = carried.getOrDefault(p.id, List.of()).stream().map(l -> {
                    SalesOrderLine ol = byOrderLine.get(byLine.get(l.dropshipmentLineId).salesOrderLineId);
                    return new ShipmentLineView(ol.position, ol.sku, l.quantity);
                }).sorted(java.util.Comparator.comparingInt(ShipmentLineView::position)).toList();
                out.add(new ShipmentView(names.get(d.connectionId), d.reference, p.carrier, p.trackingNumber,
                        p.shipDate, p.shippingMethod, p.createdAt, views));
            }
        }
        List<OwnShipment> own = OwnShipment.list("salesOrderId", salesOrderId);
        Map<Long, List<OwnShipmentLine>> ownLines = own.isEmpty() ? Map.of()
                : OwnShipmentLine.<OwnShipmentLine> list("ownShipmentId in ?1", own.stream().map(p -> p.id).toList())
                        .stream().collect(Collectors.groupingBy(l -> l.ownShipmentId));
        for (OwnShipment p : own) {
            List<ShipmentLineView> views = ownLines.getOrDefault(p.id, List.of()).stream()
                    .map(l -> new ShipmentLineView(byOrderLine.get(l.salesOrderLineId).position,
                            byOrderLine.get(l.salesOrderLineId).sku, l.quantity))
                    .sorted(java.util.Comparator.comparingInt(ShipmentLineView::position)).toList();
            out.add(new ShipmentView(null, null, p.carrier, p.trackingNumber, p.shipDate, p.shippingMethod, p.createdAt,
                    views));
        }
        out.sort(java.util.Comparator.comparing(ShipmentView::shipDate).thenComparing(ShipmentView::recordedAt));
        return out;
    }
}
