package io.portlink.inventory;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * Physical on hand of one product in one warehouse of the same organisation (V39); unique per (product, warehouse). No
 * row means nothing counted yet.
 */
@Entity
public class StockLevel extends PanacheEntity {

    @Column(nullable = false)
    public long productId;

    @Column(nullable = false)
    public long warehouseId;

    /** Whole units, ≥ 0. */
    @Column(nullable = false)
    public int physicalOnHand;

    @Column(nullable = false)
    public Instant updatedAt;
}
