package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.inventory.Product;
import io.portlink.inventory.StockLevel;
import io.portlink.inventory.Warehouse;
import io.portlink.testing.Fixtures;

/**
 * The sync tests' world, made directly as rows (the catalogue, connection and routing screens are built elsewhere): a
 * merchant and its suppliers, products, sources, supplier stock changes and routed dropshipments.
 */
@ApplicationScoped
public class SyncFixtures {

    @Inject
    Fixtures fixtures;

    @Inject
    Clock clock;

    /** A merchant or supplier organisation with its admin and API key. */
    public Fixtures.Tenant org() {
        return fixtures.tenant("GB");
    }

    /** An active connection (with the merchant's warehouse named after the supplier) or one in another status. */
    @Transactional
    public DropshipConnection connection(long merchantId, Fixtures.Tenant supplier, DropshipConnection.Status status) {
        Warehouse w = new Warehouse();
        w.organizationId = merchantId;
        w.name = supplier.name();
        w.createdAt = clock.instant();
        w.persist();
        DropshipConnection c = new DropshipConnection();
        c.merchantId = merchantId;
        c.supplierId = supplier.id();
        c.supplierName = supplier.name();
        c.status = status;
        c.invitedEmail = supplier.adminEmail();
        c.warehouseId = w.id;
        c.createdAt = clock.instant();
        c.acceptedAt = clock.instant();
        if (status == DropshipConnection.Status.DISCONNECTED) {
            c.disconnectedAt = clock.instant();
            c.disconnectedBy = "supplier: tests";
        }
        c.persist();
        return c;
    }

    @Transactional
    public Product product(long organizationId, String sku, Integer availableOnHand) {
        Product p = new Product();
        p.organizationId = organizationId;
        p.sku = sku;
        p.name = "Product " + sku;
        p.availableOnHand = availableOnHand;
        p.createdAt = clock.instant();
        p.updatedAt = clock.instant();
        p.persist();
        return p;
    }

    /** Marks a merchant product dropship from the connection's supplier product (null: the supplier has none). */
    @Transactional
    public DropshipSource source(DropshipConnection c, Product merchantProduct, Product supplierProduct) {
        DropshipSource s = new DropshipSource();
        s.connectionId = c.id;
        s.merchantProductId = merchantProduct.id;
        s.supplierProductId = supplierProduct == null ? null : supplierProduct.id;
        s.supplierSku = supplierProduct == null ? "MISSING-" + merchantProduct.sku : supplierProduct.sku;
        s.createdAt = clock.instant();
        s.updatedAt = clock.instant();
        s.persist();
        return s;
    }

    /** A merchant product dropshipped from the connection's supplier, the supplier's available on hand given. */
    public DropshipSource dropshipped(DropshipConnection c, String sku, Integer supplierAvailable) {
        Product mine = product(c.merchantId, sku, null);
        Product theirs = product(c.supplierId, "S-" + sku, supplierAvailable);
        return source(c, mine, theirs);
    }

    @Transactional
    public void stockLevel(long productId, long warehouseId, int physicalOnHand) {
        StockLevel l = new StockLevel();
        l.productId = productId;
        l.warehouseId = warehouseId;
        l.physicalOnHand = physicalOnHand;
        l.updatedAt = clock.instant();
        l.persist();
    }

    /** The supplier changed its available on hand: sets it and records the change row the merchant's sync reads. */
    @Transactional
    public void supplierChanged(DropshipSource s, int available) {
        Product p = Product.findById(s.supplierProductId);
        p.availableOnHand = available;
        p.availableUpdatedAt = clock.instant();
        DropshipConnection c = DropshipConnection.findById(s.connectionId);
        var em = Product.getEntityManager();
        em.createNativeQuery("delete from dropship_stock_change where source_id = ?1").setParameter(1, s.id)
                .executeUpdate();
        em.createNativeQuery("""
                insert into dropship_stock_change (source_id, merchant_id, supplier_product_id, changed_at)
                values (?1, ?2, ?3, ?4)""").setParameter(1, s.id).setParameter(2, c.merchantId)
                .setParameter(3, s.supplierProductId).setParameter(4, clock.instant()).executeUpdate();
    }

    /** The merchant's physical on hand of a product in the connection's warehouse; null: no stock level row. */
    @Transactional
    public Integer onHand(DropshipConnection c, long merchantProductId) {
        StockLevel l = StockLevel.find("productId = ?1 and warehouseId = ?2", merchantProductId, c.warehouseId)
                .firstResult();
        return l == null ? null : l.physicalOnHand;
    }

    @Transactional
    public Instant stockUpdatedAt(DropshipConnection c, long merchantProductId) {
        return StockLevel.<StockLevel> find("productId = ?1 and warehouseId = ?2", merchantProductId, c.warehouseId)
                .firstResult().updatedAt;
    }

    @Transactional
    public long changeRows(long merchantId) {
        return ((Number) Product.getEntityManager()
                .createNativeQuery("select count(*) from dropship_stock_change where merchant_id = ?1")
                .setParameter(1, merchantId).getSingleResult()).longValue();
    }

    /** A one-line sales order routed to the connection's supplier, in the given status (ROUTED: waiting to be sent). */
    @Transactional
    public Dropshipment dropshipment(DropshipConnection c, Dropshipment.Status status) {
        String ref = "SO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        SalesOrder o = new SalesOrder();
        o.organizationId = c.merchantId;
        o.reference = ref;
        o.channel = SalesOrder.Channel.API;
        o.shipToName = "Cara Customer";
        o.shipToAddress = "1 High Street\nLeeds";
        o.status = SalesOrder.Status.ROUTED;
        o.createdAt = clock.instant();
        o.updatedAt = clock.instant();
        o.persist();
        SalesOrderLine l = new SalesOrderLine();
        l.salesOrderId = o.id;
        l.position = 1;
        l.sku = "SKU-1";
        l.quantity = 2;
        l.persist();
        Dropshipment d = new Dropshipment();
        d.connectionId = c.id;
        d.merchantId = c.merchantId;
        d.supplierId = c.supplierId;
        d.salesOrderId = o.id;
        d.reference = ref + "-1";
        d.status = status;
        d.shipToName = o.shipToName;
        d.shipToAddress = o.shipToAddress;
        d.routedAt = clock.instant();
        if (status != Dropshipment.Status.ROUTED && status != Dropshipment.Status.CANCELLED) {
            d.sentAt = clock.instant();
        }
        d.persist();
        DropshipmentLine dl = new DropshipmentLine();
        dl.dropshipmentId = d.id;
        dl.salesOrderLineId = l.id;
        dl.position = 1;
        dl.sku = "SKU-1";
        dl.supplierSku = "S-SKU-1";
        dl.quantity = 2;
        dl.persist();
        return d;
    }

    @Transactional
    public Dropshipment reload(Dropshipment d) {
        return Dropshipment.findById(d.id);
    }

    /** How many DROPSHIPMENT_SENT lines the supplier's timeline of a dropshipment has. */
    /** The detail of the supplier's DROPSHIPMENT_SENT entry of a dropshipment (e.g. "Received from X: 1 line"). */
    @Transactional
    public String sentDetail(Dropshipment d) {
        return io.portlink.timeline.TimelineEntry.<io.portlink.timeline.TimelineEntry> find(
                "dropshipmentId = ?1 and organizationId = ?2 and kind = ?3", d.id, d.supplierId,
                SyncEvent.DROPSHIPMENT_SENT.name()).firstResult().detail;
    }

    @Transactional
    public long sentLines(Dropshipment d) {
        return io.portlink.timeline.TimelineEntry.count("dropshipmentId = ?1 and organizationId = ?2 and kind = ?3",
                d.id, d.supplierId, SyncEvent.DROPSHIPMENT_SENT.name());
    }

    @Transactional
    public long runs(long merchantId) {
        return SyncRun.count("merchantId", merchantId);
    }

    /** Sets the merchant's interval directly (minutes) and makes it due at {@code next}. */
    @Transactional
    public void schedule(long merchantId, int minutes, Instant next) {
        DropshipSettings s = DropshipSettings.findById(merchantId);
        if (s == null) {
            s = new DropshipSettings();
            s.organizationId = merchantId;
            s.syncIntervalMinutes = minutes;
            s.nextSyncAt = next;
            s.persist();
        } else {
            s.syncIntervalMinutes = minutes;
            s.nextSyncAt = next;
        }
    }

    @Transactional
    public DropshipSettings settings(long merchantId) {
        return DropshipSettings.findById(merchantId);
    }
}
