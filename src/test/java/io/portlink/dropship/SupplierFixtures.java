package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.testing.Fixtures;

/**
 * Dropship rows for the supplier's side, persisted directly as the merchant's parts (connections, routing, sync) would
 * leave them: a merchant and a supplier organisation, their connection, a sales order and its dropshipment.
 */
@ApplicationScoped
public class SupplierFixtures {

    @Inject
    Fixtures fixtures;

    @Inject
    Clock clock;

    /** A merchant, a supplier and their active connection. */
    public record Pair(Fixtures.Tenant merchant, Fixtures.Tenant supplier, long connectionId) {
    }

    /** A line to order: SKU, the supplier's SKU, quantity, the merchant's price. */
    public record Item(String sku, String supplierSku, int quantity, BigDecimal unitPrice) {
    }

    /** What a dropshipment was made of: its id, its sales order's id and reference, its own reference. */
    public record Made(long id, long salesOrderId, String salesOrderReference, String reference) {
    }

    public Pair pair(boolean passPrices, boolean passNotes) {
        return connect(fixtures.tenant("GB"), fixtures.tenant("GB"), passPrices, passNotes);
    }

    /** Connects another supplier to an existing merchant (or a merchant to an existing supplier). */
    @Transactional
    public Pair connect(Fixtures.Tenant merchant, Fixtures.Tenant supplier, boolean passPrices, boolean passNotes) {
        DropshipConnection c = new DropshipConnection();
        c.merchantId = merchant.id();
        c.supplierId = supplier.id();
        c.supplierName = supplier.name();
        c.status = DropshipConnection.Status.ACTIVE;
        c.invitedEmail = supplier.adminEmail();
        c.passPrices = passPrices;
        c.passNotes = passNotes;
        c.createdAt = Instant.now(clock);
        c.acceptedAt = c.createdAt;
        c.persist();
        return new Pair(merchant, supplier, c.id);
    }

    /**
     * A sales order of the pair's merchant whose lines all go to the pair's supplier, routed into one dropshipment that
     * the sync has sent ({@code sent}) or not. Prices and the note are copied only when the connection passes them, as
     * routing does; {@code extra} lines stay on the sales order without a dropshipment (another supplier's).
     */
    @Transactional
    public Made dropshipment(Pair pair, boolean sent, List<Item> items, List<Item> extra) {
        DropshipConnection c = DropshipConnection.findById(pair.connectionId());
        Instant now = Instant.now(clock);
        SalesOrder so = new SalesOrder();
        so.organizationId = pair.merchant().id();
        so.reference = "SO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        so.channel = SalesOrder.Channel.API;
        so.shipToName = "Cara Customer";
        so.shipToCompany = "Customer Ltd";
        so.shipToAddress = "1 High Street\nLondon";
        so.shipToPhone = "+44 20 7946 0001";
        so.shippingMethod = "Ground";
        so.internalNote = "Margin 42% - do not tell";
        so.status = SalesOrder.Status.ROUTED;
        so.createdAt = now;
        so.updatedAt = now;
        so.persist();
        Dropshipment d = new Dropshipment();
        d.connectionId = c.id;
        d.merchantId = pair.merchant().id();
        d.supplierId = pair.supplier().id();
        d.salesOrderId = so.id;
        d.reference = so.reference + "-1";
        d.status = sent ? Dropshipment.Status.OPEN : Dropshipment.Status.ROUTED;
        d.shipToName = so.shipToName;
        d.shipToCompany = so.shipToCompany;
        d.shipToAddress = so.shipToAddress;
        d.shipToPhone = so.shipToPhone;
        d.shippingMethod = so.shippingMethod;
        d.note = c.passNotes ? so.internalNote : null;
        d.routedAt = now;
        d.sentAt = sent ? now : null;
        d.persist();
        List<Item> all = new ArrayList<>(items);
        all.addAll(extra);
        int position = 0;
        for (Item item : all) {
            SalesOrderLine l = new SalesOrderLine();
            l.salesOrderId = so.id;
            l.position = ++position;
            l.sku = item.sku();
            l.description = "Item " + item.sku();
            l.quantity = item.quantity();
            l.unitPrice = item.unitPrice();
            l.persist();
            if (position <= items.size()) {
                DropshipmentLine dl = new DropshipmentLine();
                dl.dropshipmentId = d.id;
                dl.salesOrderLineId = l.id;
                dl.position = position;
                dl.sku = item.sku();
                dl.supplierSku = item.supplierSku();
                dl.description = l.description;
                dl.quantity = item.quantity();
                dl.unitPrice = c.passPrices ? item.unitPrice() : null;
                dl.persist();
            }
        }
        return new Made(d.id, so.id, so.reference, d.reference);
    }

    /** Two lines (3 and 2 units), priced, all to the supplier, sent. */
    public Made standard(Pair pair) {
        return dropshipment(pair, true, List.of(new Item("WIDGET-RED", "SUP-RED", 3, new BigDecimal("19.99")),
                new Item("WIDGET-BLUE", "SUP-BLUE", 2, new BigDecimal("24.50"))), List.of());
    }

    /** {@code n} dropshipments as {@link #standard}, written in one transaction (a file's worth for scale tests). */
    @Transactional
    public List<Made> standard(Pair pair, int n) {
        List<Made> made = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            made.add(standard(pair));
            if (made.size() % 500 == 0) {
                io.quarkus.hibernate.orm.panache.Panache.getEntityManager().flush();
                io.quarkus.hibernate.orm.panache.Panache.getEntityManager().clear();
            }
        }
        return made;
    }

    /**
     * Routes the sales order lines of {@code made} that no dropshipment carries yet to {@code other}'s supplier (the
     * same merchant), as a second dropshipment of the same sales order, sent.
     */
    @Transactional
    public Made secondSupplier(Made made, Pair other) {
        Dropshipment first = Dropshipment.findById(made.id());
        Dropshipment d = new Dropshipment();
        d.connectionId = other.connectionId();
        d.merchantId = first.merchantId;
        d.supplierId = other.supplier().id();
        d.salesOrderId = first.salesOrderId;
        d.reference = made.salesOrderReference() + "-2";
        d.status = Dropshipment.Status.OPEN;
        d.shipToName = first.shipToName;
        d.shipToAddress = first.shipToAddress;
        d.shippingMethod = first.shippingMethod;
        d.routedAt = first.routedAt;
        d.sentAt = first.sentAt;
        d.persist();
        int position = 0;
        for (SalesOrderLine l : SalesOrderLine.<SalesOrderLine> list("salesOrderId = ?1 order by position",
                first.salesOrderId)) {
            if (DropshipmentLine.count("salesOrderLineId", l.id) == 0) {
                DropshipmentLine dl = new DropshipmentLine();
                dl.dropshipmentId = d.id;
                dl.salesOrderLineId = l.id;
                dl.position = ++position;
                dl.sku = l.sku;
                dl.supplierSku = "S2-" + l.sku;
                dl.quantity = l.quantity;
                dl.persist();
            }
        }
        return new Made(d.id, first.salesOrderId, made.salesOrderReference(), d.reference);
    }

    /** The merchant's change after sending, as its change path leaves it: a new revision and its summary. */
    @Transactional
    public void change(long dropshipmentId, String summary) {
        Dropshipment d = Dropshipment.findById(dropshipmentId);
        d.revision++;
        d.changeSummary = summary;
        d.changedAt = Instant.now(clock);
    }

    /** The merchant's cancel after sending. */
    @Transactional
    public void cancel(long dropshipmentId, String reason) {
        Dropshipment d = Dropshipment.findById(dropshipmentId);
        d.status = Dropshipment.Status.CANCELLED;
        d.cancelReason = reason;
        d.cancelledAt = Instant.now(clock);
        d.revision++;
        d.changeSummary = "Cancelled: " + reason;
        SalesOrder so = SalesOrder.findById(d.salesOrderId);
        so.status = SalesOrder.Status.CANCELLED;
        so.cancelReason = reason;
    }

    /** The rows tests assert on, read in a transaction of their own. */
    @Transactional
    public Dropshipment reload(long id) {
        Dropshipment d = Dropshipment.findById(id);
        io.quarkus.hibernate.orm.panache.Panache.getEntityManager().detach(d);
        return d;
    }

    @Transactional
    public SalesOrder salesOrder(long id) {
        SalesOrder so = SalesOrder.findById(id);
        io.quarkus.hibernate.orm.panache.Panache.getEntityManager().detach(so);
        return so;
    }

    /** The sales order's lines' shipped quantities, by position. */
    @Transactional
    public List<Integer> salesOrderShipped(long salesOrderId) {
        return SalesOrderLine.<SalesOrderLine> list("salesOrderId = ?1 order by position", salesOrderId).stream()
                .map(l -> l.quantityShipped).toList();
    }

    /** The dropshipment's lines' shipped quantities, by position. */
    @Transactional
    public List<Integer> dropshipmentShipped(long dropshipmentId) {
        return DropshipmentLine.<DropshipmentLine> list("dropshipmentId = ?1 order by position", dropshipmentId)
                .stream().map(l -> l.quantityShipped).toList();
    }

    @Transactional
    public long shipments(long dropshipmentId) {
        return DropshipShipment.count("dropshipmentId", dropshipmentId);
    }

    /** Timeline details of a subject, oldest first, as "KIND: detail". */
    @Transactional
    public List<String> timeline(String column, long subjectId, long organizationId) {
        return io.portlink.timeline.TimelineEntry.<io.portlink.timeline.TimelineEntry> list(
                column + " = ?1 and organizationId = ?2 order by at, id", subjectId, organizationId).stream()
                .map(e -> e.kind + ": " + e.detail + " [" + e.actorLabel + "]").toList();
    }
}
