package io.portlink.dropship;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.inventory.Product;
import io.portlink.testing.Fixtures;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Sales-order test setup: a merchant and its suppliers, connections, products marked dropship from a supplier, all
 * persisted as entities (the catalogue's own screens are another part's), and sales orders as JSON.
 */
@ApplicationScoped
public class SalesOrderFixtures {

    @Inject
    Fixtures fixtures;

    private final List<SalesOrderChanged> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every {@link SalesOrderChanged} fired during the run, oldest first. */
    public List<SalesOrderChanged> events() {
        return events;
    }

    void observe(@jakarta.enterprise.event.Observes SalesOrderChanged event) {
        events.add(event);
    }

    /** A connection as tests use it. */
    public record Supplier(Fixtures.Tenant tenant, long connectionId, String name) {
    }

    /** A connection of the merchant to a new supplier organisation, in the given state and with what it passes. */
    @Transactional
    public Supplier supplier(long merchantId, String name, DropshipConnection.Status status, boolean passPrices,
            boolean passNotes) {
        return supplier(merchantId, fixtures.tenant("GB"), name, status, passPrices, passNotes);
    }

    /** A connection of the merchant to an existing supplier organisation {@code t}. */
    @Transactional
    public Supplier supplier(long merchantId, Fixtures.Tenant t, String name, DropshipConnection.Status status,
            boolean passPrices, boolean passNotes) {
        DropshipConnection c = new DropshipConnection();
        c.merchantId = merchantId;
        c.supplierId = t.id();
        c.supplierName = name;
        c.status = status;
        c.invitedEmail = t.adminEmail();
        c.passPrices = passPrices;
        c.passNotes = passNotes;
        c.createdAt = Instant.parse("2026-05-01T09:00:00Z");
        c.acceptedAt = status == DropshipConnection.Status.INVITED ? null : c.createdAt;
        c.persist();
        return new Supplier(t, c.id, name);
    }

    /** A merchant product, dropshipped from {@code supplier} under {@code supplierSku} when that is given. */
    @Transactional
    public long product(long merchantId, String sku, Supplier supplier, String supplierSku) {
        Instant now = Instant.parse("2026-05-01T09:00:00Z");
        Product p = new Product();
        p.organizationId = merchantId;
        p.sku = sku;
        p.name = "Product " + sku;
        p.createdAt = now;
        p.updatedAt = now;
        p.persist();
        if (supplier != null) {
            DropshipSource s = new DropshipSource();
            s.connectionId = supplier.connectionId();
            s.merchantProductId = p.id;
            s.supplierSku = supplierSku;
            s.unitCost = new BigDecimal("3.10");
            s.createdAt = now;
            s.updatedAt = now;
            s.persist();
        }
        return p.id;
    }

    /** A line as JSON. */
    public static Map<String, Object> line(String sku, int quantity, String price) {
        return Map.of("sku", sku, "description", "Item " + sku, "quantity", quantity, "unitPrice", price);
    }

    /** An order as JSON with a note and the given lines. */
    public static Map<String, Object> order(String reference, List<Map<String, Object>> lines) {
        return Map.of("reference", reference, "shipTo",
                Map.of("name", "Cara Customer", "company", "Cara Ltd", "address", "1 High Street\nLeeds LS1 1AA",
                        "phone", "+44 113 496 0000"),
                "shippingMethod", "Express", "internalNote", "margin 40%, VIP customer", "lines",
                new ArrayList<>(lines));
    }

    public static ValidatableResponse post(String apiKey, Object body) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON).body(body)
                .post("/api/v1/sales-orders").then();
    }

    /** Marks a dropshipment as the merchant's sync does when it sends it (another part's job). */
    @Transactional
    public void send(String reference, long supplierId) {
        Dropshipment d = Dropshipment.find("supplierId = ?1 and reference = ?2", supplierId, reference).firstResult();
        d.sentAt = Instant.parse("2026-06-01T09:30:00Z");
        d.status = Dropshipment.Status.OPEN;
    }

    /** Records the supplier's acknowledgement, as the supplier's part will. */
    @Transactional
    public void acknowledge(String reference, long supplierId) {
        Dropshipment d = Dropshipment.find("supplierId = ?1 and reference = ?2", supplierId, reference).firstResult();
        d.acknowledgedRevision = d.revision;
    }

    /** Marks a dropshipment shipped, with every unit of its lines, as the supplier's part will. */
    @Transactional
    public void ship(String reference, long supplierId) {
        Dropshipment d = Dropshipment.find("supplierId = ?1 and reference = ?2", supplierId, reference).firstResult();
        d.status = Dropshipment.Status.SHIPPED;
        d.shippedAt = Instant.parse("2026-06-02T09:30:00Z");
        for (DropshipmentLine l : DropshipmentLine.<DropshipmentLine> list("dropshipmentId", d.id)) {
            l.quantityShipped = l.quantity;
            SalesOrderLine sl = SalesOrderLine.findById(l.salesOrderLineId);
            sl.quantityShipped = l.quantity;
        }
    }

    @Transactional
    public Dropshipment dropshipment(long supplierId, String reference) {
        return Dropshipment.find("supplierId = ?1 and reference = ?2", supplierId, reference).firstResult();
    }

    @Transactional
    public List<DropshipmentLine> lines(long dropshipmentId) {
        return DropshipmentLine.list("dropshipmentId = ?1 order by position", dropshipmentId);
    }

    @Transactional
    public long dropshipmentCount(long merchantId) {
        return Dropshipment.count("merchantId", merchantId);
    }

    @Transactional
    public long dropshipmentLineCount(long merchantId) {
        return DropshipmentLine.count("dropshipmentId in (select d.id from Dropshipment d where d.merchantId = ?1)",
                merchantId);
    }
}
