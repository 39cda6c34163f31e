package io.portlink.inventory;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A place an organisation counts stock in (V39), unique by name within it. A dropship merchant has one per supplier,
 * named after it, whose physical on hand the sync keeps equal to the supplier's available on hand.
 */
@Entity
public class Warehouse extends PanacheEntity {

    @Column(nullable = false)
    public long organizationId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public Instant createdAt;
}
