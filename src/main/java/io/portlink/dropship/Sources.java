package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.dropship.DropshipConnection.Status;
import io.portlink.inventory.Catalogue;
import io.portlink.inventory.Product;
import io.portlink.organization.Organization;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * "Dropship from S": a merchant product's {@link DropshipSource}. Marking a product links it to the product of the
 * supplier's SKU in the supplier's catalogue (created with the merchant product's name when missing, once the
 * connection is active; while only invited, the link is made at acceptance) and makes sure the merchant has the
 * warehouse named after the supplier ({@code connection.warehouseId}), whose physical on hand the sync keeps.
 */
@ApplicationScoped
public class Sources {

    @Inject
    Clock clock;

    @Inject
    Catalogue catalogue;

    /** A product's dropship settings as the merchant sees them (the unit cost is the merchant's only). */
    public record SourceView(long connectionId, String supplierName, Status connectionStatus, String supplierSku,
            BigDecimal unitCost, boolean linked, long warehouseId) {
    }

    /** Whether {@link #mark} created the settings, changed them, or found them as they were. */
    public enum Outcome {
        CREATED, CHANGED, UNCHANGED
    }

    /** The settings after {@link #mark}, and what it did. */
    public record Marked(SourceView source, Outcome outcome) {
    }

    /**
     * Marks the merchant's product of {@code sku} "dropship from" the supplier of a connection (by id or name), with
     * the supplier's SKU and an optional unit cost (a decimal ≥ 0, at most 4 places, point as decimal mark). Marking it
     * again with other values moves or changes it; the same values change nothing.
     *
     * @return empty when the merchant has no product of {@code sku}
     *
     * @throws ValidationException
     *             naming {@code supplier} (unknown or disconnected), {@code supplierSku} or {@code unitCost}
     */
    /** A cost written with a decimal comma: 3,20 or 0,5 or 3,2500 (not three digits after it: 1,000 is ambiguous). */
    private static final java.util.regex.Pattern DECIMAL_COMMA = java.util.regex.Pattern
            .compile("[+-]?[0-9]+,([0-9]{1,2}|[0-9]{4})");

    @Transactional
    public Optional<Marked> mark(long merchantId, String sku, String supplier, String supplierSku, String unitCost) {
        Product product = sku == null ? null : Product.bySku(merchantId, sku.strip());
        if (product == null) {
            return Optional.empty();
        }
        var errors = new ValidationException.Builder();
        Optional<DropshipConnection> connection = Connections.find(merchantId, supplier);
        if (connection.isEmpty()) {
            errors.add("supplier", "must be one of your suppliers (its name or connection id); invite it first",
                    supplier);
        } else if (connection.get().status == Status.DISCONNECTED) {
            errors.add("supplier", "is disconnected; invite it again to reconnect before marking products", supplier);
        }
        String ssku = Catalogue.checkSku(errors, null, "supplierSku", supplierSku);
        BigDecimal cost = null;
        if (unitCost != null && DECIMAL_COMMA.matcher(unitCost.strip()).matches()) {
            // a form and a JSON field alike read a decimal point; 3,20 is the decimal comma (never grouped thousands)
            errors.add("unitCost", "use a decimal point: " + unitCost.strip().replace(',', '.'), unitCost);
        } else if (unitCost != null && !unitCost.isBlank()) {
            cost = new Fields(errors, null, 40, Convention.JSON).decimal("unitCost", unitCost, true, false, false);
        }
        errors.throwIfAny();
        DropshipConnection c = connection.get();
        DropshipSource source = DropshipSource.find("merchantProductId", product.id).firstResult();
        Outcome outcome;
        Instant now = Instant.now(clock);
        if (source == null) {
            source = new DropshipSource();
            source.merchantProductId = product.id;
            source.createdAt = now;
            outcome = Outcome.CREATED;
        } else if (source.connectionId == c.id && source.supplierSku.equals(ssku) && same(source.unitCost, cost)) {
            return Optional.of(new Marked(view(source, c), Outcome.UNCHANGED));
        } else {
            outcome = Outcome.CHANGED;
            if (source.connectionId != c.id || !source.supplierSku.equals(ssku)) {
                SupplierStock.dropPendingOf(source.id); // a change of the old mapping no longer applies
                source.supplierProductId = null;
            }
        }
        source.connectionId = c.id;
        source.supplierSku = ssku;
        source.unitCost = cost;
        source.updatedAt = now;
        if (c.warehouseId == null || c.status == Status.ACTIVE && source.supplierProductId == null) {
            // both organisations' rows may be taken below (a warehouse, a product): in id order, so that two that
            // supply each other never wait for each other
            Organization.lockForCreating(Math.min(merchantId, c.supplierId == null ? merchantId : c.supplierId));
            Organization.lockForCreating(Math.max(merchantId, c.supplierId == null ? merchantId : c.supplierId));
        }
        if (c.warehouseId == null) {
            c.warehouseId = catalogue.warehouseFor(merchantId, c.supplierName);
        }
        if (c.status == Status.ACTIVE && source.supplierProductId == null) {
            source.supplierProductId = supplierProduct(c.supplierId, ssku, product.name);
        }
        source.persist();
        if (outcome != Outcome.UNCHANGED && source.supplierProductId != null) {
            DropshipSource.getEntityManager().flush();
            SupplierStock.pendLinked(c.id, source.id, now);
        }
        return Optional.of(new Marked(view(source, c), outcome));
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /** The supplier's product of {@code sku}, created with {@code name} when the supplier has none. */
    private long supplierProduct(long supplierId, String sku, String name) {
        // a merchant's mark and the supplier's own stock update at once create the product once
        Organization.lockForCreating(supplierId);
        Product p = Product.bySku(supplierId, sku);
        return p != null ? p.id : catalogue.create(supplierId, sku, name).id;
    }

    /**
     * Removes the mark: the product is the merchant's own again (its stock levels, including the supplier warehouse's,
     * stay as counted). False when the product is not the merchant's or was not marked.
     */
    @Transactional
    public boolean unmark(long merchantId, String sku) {
        Product product = sku == null ? null : Product.bySku(merchantId, sku.strip());
        if (product == null) {
            return false;
        }
        DropshipSource source = DropshipSource.find("merchantProductId", product.id).firstResult();
        if (source == null) {
            return false;
        }
        SupplierStock.dropPendingOf(source.id);
        source.delete();
        return true;
    }

    /** The dropship settings of the merchant's product, if marked. */
    @Transactional
    public Optional<SourceView> of(long merchantId, long productId) {
        return Product.<Product> findByIdOptional(productId).filter(p -> p.organizationId == merchantId)
                .flatMap(p -> DropshipSource.<DropshipSource> find("merchantProductId", p.id)
                        .<DropshipSource> firstResultOptional())
                .map(s -> view(s, DropshipConnection.<DropshipConnection> findById(s.connectionId)));
    }

    /** The dropship settings of several of the merchant's products (a page of them), by product id. */
    @Transactional
    public Map<Long, SourceView> of(long merchantId, List<Long> productIds) {
        Map<Long, SourceView> out = new HashMap<>();
        if (productIds.isEmpty()) {
            return out;
        }
        DropshipSource.<DropshipSource> list("merchantProductId in ?1", productIds).forEach(s -> {
            DropshipConnection c = DropshipConnection.findById(s.connectionId);
            if (c.merchantId == merchantId) {
                out.put(s.merchantProductId, view(s, c));
            }
        });
        return out;
    }

    /** Sources linked per batch at acceptance: one query of merchant products and one of supplier SKUs each. */
    static final int LINK_BATCH = 500;

    /**
     * At acceptance (also again after a disconnect): every source of the connection still without a supplier product
     * gets the supplier's product of its SKU, created with the merchant product's name when missing, and every source
     * whose supplier product has a stated quantity waits for the merchant's next sync
     * ({@link SupplierStock#pendLinked}). Reads {@value #LINK_BATCH} sources at a time: their merchant products' names
     * in one query and the supplier's products of their SKUs in another; only a missing supplier product costs an
     * insert of its own.
     */
    void linkAll(DropshipConnection c) {
        List<DropshipSource> open = DropshipSource.list("connectionId = ?1 and supplierProductId is null order by id",
                c.id);
        Instant now = Instant.now(clock);
        for (int from = 0; from < open.size(); from += LINK_BATCH) {
            List<DropshipSource> batch = open.subList(from, Math.min(open.size(), from + LINK_BATCH));
            Map<Long, String> names = new HashMap<>();
            Product.getEntityManager()
                    .createQuery("select p.id, p.name from Product p where p.id in ?1", Object[].class)
                    .setParameter(1, batch.stream().map(s -> s.merchantProductId).distinct().toList()).getResultList()
                    .forEach(r -> names.put((Long) r[0], (String) r[1]));
            Map<String, Long> supplierIds = new HashMap<>();
            Product.getEntityManager()
                    .createQuery("select p.sku, p.id from Product p where p.organizationId = ?1 and p.sku in ?2",
                            Object[].class)
                    .setParameter(1, c.supplierId)
                    .setParameter(2, batch.stream().map(s -> s.supplierSku).distinct().toList()).getResultList()
                    .forEach(r -> supplierIds.put((String) r[0], (Long) r[1]));
            for (DropshipSource s : batch) {
                // two sources of one supplier SKU share the product the first one created
                s.supplierProductId = supplierIds.computeIfAbsent(s.supplierSku,
                        sku -> catalogue.create(c.supplierId, sku, names.get(s.merchantProductId)).id);
                s.updatedAt = now;
            }
        }
        DropshipSource.getEntityManager().flush();
        SupplierStock.pendLinked(c.id, -1, now);
    }

    private static SourceView view(DropshipSource s, DropshipConnection c) {
        return new SourceView(c.id, c.supplierName, c.status, s.supplierSku, s.unitCost, s.supplierProductId != null,
                c.warehouseId == null ? 0 : c.warehouseId);
    }
}
