package io.portlink.inventory;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A product in one organisation's catalogue (V39), unique by SKU within it. A merchant counts it per warehouse
 * ({@link StockLevel}); a supplier states {@link #availableOnHand}.
 */
@Entity
public class Product extends PanacheEntity {

    @Column(nullable = false)
    public long organizationId;

    /** The organisation's own stock-keeping unit, up to 100 characters, compared exactly. */
    @Column(nullable = false)
    public String sku;

    @Column(nullable = false)
    public String name;

    /** What the supplier can ship now, in whole units (≥ 0); null until the supplier states it. */
    public Integer availableOnHand;

    /** When {@link #availableOnHand} last changed (UTC instant). */
    public Instant availableUpdatedAt;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** The product of {@code sku} in the organisation, or null. Served by the (organization, sku) unique index. */
    public static Product bySku(long organizationId, String sku) {
        return find("organizationId = ?1 and sku = ?2", organizationId, sku).firstResult();
    }
}
