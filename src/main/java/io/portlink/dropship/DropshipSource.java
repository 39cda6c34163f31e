package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A merchant product marked "dropship from" a connection's supplier (V39): the supplier's SKU, the merchant's unit cost
 * (never shown to the supplier), and the matching product in the supplier's catalogue (null while missing: drift). At
 * most one per merchant product.
 */
@Entity
public class DropshipSource extends PanacheEntity {

    @Column(nullable = false)
    public long connectionId;

    @Column(nullable = false)
    public long merchantProductId;

    /** The supplier's product of {@link #supplierSku}; null while the supplier's catalogue has none. */
    public Long supplierProductId;

    @Column(nullable = false)
    public String supplierSku;

    /** In the merchant's currency, per unit; optional. */
    @Column(precision = 19, scale = 4)
    public BigDecimal unitCost;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
