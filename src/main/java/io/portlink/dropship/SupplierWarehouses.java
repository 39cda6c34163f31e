package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.dropship.DropshipConnection.Status;
import io.portlink.inventory.Product;
import io.portlink.inventory.StockKeeper;
import io.portlink.inventory.StockLevel;

/**
 * The warehouse named after each supplier in the merchant's organisation ({@code dropship_connection.warehouse_id}):
 * its physical on hand is the supplier's available on hand, written by the sync, so the merchant cannot type it (forms,
 * API) while the connection is invited or active; once disconnected nothing flows and the merchant counts it again.
 * Where the two disagree (the sync page's drift), the merchant takes the supplier's figure here.
 */
@ApplicationScoped
public class SupplierWarehouses implements StockKeeper {

    @Inject
    Clock clock;

    /** What taking the supplier's figure did: the merchant's on hand before (null: none counted) and now. */
    public record Taken(String sku, String supplier, Integer was, int now) {
    }

    /**
     * The merchant's supplier warehouses of connections not disconnected (on {@code dropship_connection_merchant_ix}).
     */
    @Override
    public Map<Long, String> keptWarehouses(long organizationId) {
        Map<Long, String> kept = new HashMap<>();
        DropshipConnection.<DropshipConnection> list("merchantId = ?1 and status <> ?2 and warehouseId is not null",
                organizationId, Status.DISCONNECTED).forEach(c -> kept.put(c.warehouseId, c.supplierName));
        return kept;
    }

    /**
     * Sets the merchant's physical on hand of product {@code sku} in its supplier's warehouse to the supplier's
     * available on hand. Empty when the product is not the merchant's, is not dropshipped through an active connection,
     * or the supplier states no figure for it. Taking a figure that already agrees changes nothing (a retry is safe).
     * The stock level row is locked while it is written, as the sync's write would be.
     */
    @Transactional
    public Optional<Taken> takeSupplierFigure(long merchantId, String sku) {
        Product mine = sku == null ? null : Product.bySku(merchantId, sku.strip());
        if (mine == null) {
            return Optional.empty();
        }
        DropshipSource source = DropshipSource.find("merchantProductId", mine.id).firstResult();
        if (source == null || source.supplierProductId == null) {
            return Optional.empty();
        }
        DropshipConnection c = DropshipConnection.findById(source.connectionId);
        Product theirs = Product.findById(source.supplierProductId);
        if (c == null || c.merchantId != merchantId || c.status != Status.ACTIVE || c.warehouseId == null
                || theirs == null || theirs.availableOnHand == null) {
            return Optional.empty();
        }
        StockLevel level = StockLevel.<StockLevel> find("productId = ?1 and warehouseId = ?2", mine.id, c.warehouseId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        Integer was = level == null ? null : level.physicalOnHand;
        int now = theirs.availableOnHand;
        if (level == null) {
            level = new StockLevel();
            level.productId = mine.id;
            level.warehouseId = c.warehouseId;
        } else if (level.physicalOnHand == now) {
            return Optional.of(new Taken(mine.sku, c.supplierName, was, now));
        }
        level.physicalOnHand = now;
        level.updatedAt = Instant.now(clock);
        level.persist();
        return Optional.of(new Taken(mine.sku, c.supplierName, was, now));
    }
}
